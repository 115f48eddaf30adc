"""The command line `pilier-eco` (Typer): one module per command, each a thin door onto the library."""

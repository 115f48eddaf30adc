"""`python -m toolkit`: the same command as `pilier-eco`."""

from toolkit.cli.app import main

main()

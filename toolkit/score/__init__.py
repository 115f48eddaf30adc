"""Steps 1–2 of the method as numbers: indicators, enjeux, governance, actions, robustness, votes (0–100)."""

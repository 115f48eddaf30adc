"""Step 4 of the method: feuille de route, points de vigilance, transferable experiences, similar territories."""

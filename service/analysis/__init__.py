"""Pure arithmetic: the ITA framework of a year, scores, levels and quarterly progress."""

"""Checks on the typed model: numbers, dates, Thai text and consistency, reported at their cells."""

"""Readers: the workbook contract, the pre-flight guard, format conversion, cells and the typed model."""

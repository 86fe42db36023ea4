"""Administrators' tools: the blank workbook, template checks and the template reference."""

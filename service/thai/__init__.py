"""Thai language: numbers, dates, text normalisation and spelling."""

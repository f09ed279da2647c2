"""Converters from public corpora to saidwho records."""

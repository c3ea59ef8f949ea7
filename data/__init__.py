"""The demo dataset: a deterministic generator (``python -m data.generate``) and its files."""

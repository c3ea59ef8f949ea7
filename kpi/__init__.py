"""Pure KPI domain: the vocabulary of the scorecard, reading and validating feeds, scoring.

Functions here take and return plain values, dataclasses and pandas DataFrames; they never touch
the database or the web layer.
"""

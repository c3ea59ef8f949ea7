"""Application core of Pilot Scorecard: settings, database, tables, services and the CLI."""

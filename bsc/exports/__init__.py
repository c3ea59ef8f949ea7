"""Turning figures and tables into files: PNG/SVG/PDF images, CSV and XLSX tables."""

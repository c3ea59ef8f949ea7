"""Documentation assets and the scripts that keep them current."""

"""Pure strategy-map domain: maps of objectives and cause→effect links as ``networkx`` graphs."""

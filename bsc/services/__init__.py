"""Use cases of the product, shared by the web app, the REST API and the CLI."""

"""The Dash web app: ``create_app()``, its pages, components, sign-in and the REST API."""

from dashboard.app import create_app

__all__ = ["create_app"]

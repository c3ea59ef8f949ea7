"""The whole demo dataset for scorecard pages and browser tests.

Everything goes through the product's own demo loader (``bsc.services.demo.load_demo``): the
importers, the ingest service with its uploads, the strategy maps (published) and the programme
office's files (rollout plan, PEST ratings, survey, vendors).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from bsc.services.demo import load_demo

DEMO = Path(__file__).parents[1] / "data" / "demo"


def load_demo_data(engine: Engine) -> None:
    """The demo through the product's loader."""
    load_demo(engine, DEMO)

"""The map screens run on the demo programme with scores and published maps."""

from tests.map_fixtures import demo_maps_template, populated  # noqa: F401  (fixtures)

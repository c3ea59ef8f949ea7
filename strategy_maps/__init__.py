"""Pure strategy-map domain: maps of objectives and cause→effect links as ``networkx`` graphs.

* :mod:`~strategy_maps.model` — :class:`MapDocument` and its graph;
* :mod:`~strategy_maps.io` — YAML and JSON files;
* :mod:`~strategy_maps.validation` — the errors and warnings of DESIGN §6;
* :mod:`~strategy_maps.layout` — four lanes, few crossings;
* :mod:`~strategy_maps.editing` — edits as pure functions, and what changed between versions;
* :mod:`~strategy_maps.evidence` — lagged correlation and Granger tests for each link;
* :mod:`~strategy_maps.programme` — adoption of objectives and links across members.
"""

from strategy_maps.errors import MapError, MapFormatError
from strategy_maps.io import MapFormat, dump_map, read_map
from strategy_maps.issues import MapIssue, Rule
from strategy_maps.model import KpiRef, MapDocument, MapObjective, from_graph, to_graph
from strategy_maps.validation import validate

__all__ = [
    "KpiRef",
    "MapDocument",
    "MapError",
    "MapFormat",
    "MapFormatError",
    "MapIssue",
    "MapObjective",
    "Rule",
    "dump_map",
    "from_graph",
    "read_map",
    "to_graph",
    "validate",
]

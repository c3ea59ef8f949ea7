"""Edits of a map as pure functions: each takes a document and returns the changed copy.

The editor applies them one at a time and validates after each; :func:`map_changes` lists what
differs between two versions, one entry per change, for the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from kpi.vocabulary import Perspective, parse_perspective
from strategy_maps.model import KpiRef, MapDocument, MapObjective

__all__ = [
    "next_key",
    "add_objective",
    "update_objective",
    "delete_objective",
    "add_link",
    "remove_link",
    "set_kpis",
    "adopt",
    "MapChange",
    "map_changes",
]

_PREFIX = {
    Perspective.FINANCIAL: "F",
    Perspective.CUSTOMER: "C",
    Perspective.PROCESS: "P",
    Perspective.LEARNING: "L",
}


def next_key(document: MapDocument, perspective: str) -> str:
    """The first free key of the form ``F1``, ``C4`` … for a new objective of ``perspective``.

    Examples
    --------
    >>> doc = MapDocument(name="x", objectives=(MapObjective("C1", "customer", "A"),))
    >>> next_key(doc, "customer"), next_key(doc, "learning")
    ('C2', 'L1')
    """
    found = parse_perspective(perspective)
    prefix = _PREFIX[found] if found else "X"
    used = set(document.keys)
    numbers = [
        int(match.group(1))
        for key in used
        if (match := re.fullmatch(rf"{prefix}(\d+)", key)) is not None
    ]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def add_objective(
    document: MapDocument, *, perspective: str, title: str, key: str | None = None
) -> MapDocument:
    """``document`` with a new objective at the end (a free key when none is given)."""
    objective = MapObjective(
        key=key or next_key(document, perspective), perspective=perspective, title=title
    )
    return replace(document, objectives=(*document.objectives, objective))


def update_objective(document: MapDocument, key: str, /, **fields: Any) -> MapDocument:
    """``document`` with objective ``key`` changed: ``title``, ``title_zh``, ``description``,
    ``perspective`` (moving it to another lane) or ``key`` (links follow the new key)."""
    new_key = fields.get("key", key)
    objectives = tuple(
        replace(objective, **fields) if objective.key == key else objective
        for objective in document.objectives
    )
    links = document.links
    if new_key != key:
        links = tuple(
            (new_key if cause == key else cause, new_key if effect == key else effect)
            for cause, effect in links
        )
    return replace(document, objectives=objectives, links=links, link_lines=())


def delete_objective(document: MapDocument, key: str) -> MapDocument:
    """``document`` without objective ``key`` and without the links that touch it."""
    return replace(
        document,
        objectives=tuple(o for o in document.objectives if o.key != key),
        links=tuple(link for link in document.links if key not in link),
        link_lines=(),
    )


def add_link(document: MapDocument, cause: str, effect: str) -> MapDocument:
    """``document`` with the link cause → effect (unchanged when it is there already)."""
    if (cause, effect) in document.links:
        return document
    return replace(document, links=(*document.links, (cause, effect)), link_lines=())


def remove_link(document: MapDocument, cause: str, effect: str) -> MapDocument:
    return replace(
        document,
        links=tuple(link for link in document.links if link != (cause, effect)),
        link_lines=(),
    )


def set_kpis(document: MapDocument, key: str, codes: list[str]) -> MapDocument:
    """``document`` with objective ``key`` measured by ``codes``, keeping known weights."""
    objective = document.objective(key)
    if objective is None:
        return document
    weights = {ref.code: ref.weight for ref in objective.kpis}
    refs = tuple(KpiRef(code, weights.get(code, 1.0)) for code in dict.fromkeys(codes))
    return update_objective(document, key, kpis=refs)


def adopt(source: MapDocument, *, member: str | None, name: str | None = None) -> MapDocument:
    """A new map for ``member`` starting from ``source`` (the programme template or another map).

    Objectives taken from the template remember it in ``template_key``, so the programme map can
    count them as adopted.

    Examples
    --------
    >>> template = MapDocument(name="T", objectives=(MapObjective("F1", "financial", "Cost"),))
    >>> adopt(template, member="M004").objectives[0].template_key
    'F1'
    """
    from_template = source.member is None
    objectives = tuple(
        replace(o, template_key=o.key if from_template else o.template_key, line=None)
        for o in source.objectives
    )
    return MapDocument(
        name=name or source.name,
        member=member,
        objectives=objectives,
        links=source.links,
    )


@dataclass(frozen=True)
class MapChange:
    """One difference between two versions of a map, for the audit log."""

    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _objective_state(objective: MapObjective) -> dict[str, Any]:
    return {
        "perspective": objective.perspective,
        "title": objective.title,
        "title_zh": objective.title_zh,
        "description": objective.description,
        "kpis": [ref.code for ref in objective.kpis],
        "weights": [ref.weight for ref in objective.kpis],
        "template_key": objective.template_key,
    }


def map_changes(before: MapDocument | None, after: MapDocument) -> list[MapChange]:
    """What changed from ``before`` to ``after``: objectives added, removed or edited (renamed,
    moved to another perspective, KPIs attached or detached), links added or removed.

    Examples
    --------
    >>> old = MapDocument(name="x", objectives=(MapObjective("C1", "customer", "A"),))
    >>> new = add_objective(old, perspective="process", title="B")
    >>> [(c.action, c.target) for c in map_changes(old, add_link(new, "P1", "C1"))]
    [('add_objective', 'P1'), ('add_link', 'P1 → C1')]
    """
    before = before or MapDocument(name=after.name, member=after.member)
    changes = []
    if before.name != after.name:
        changes.append(
            MapChange("rename_map", after.name, {"name": before.name}, {"name": after.name})
        )
    old = {o.key: _objective_state(o) for o in before.objectives}
    new = {o.key: _objective_state(o) for o in after.objectives}
    for key, state in new.items():
        if key not in old:
            changes.append(MapChange("add_objective", key, None, state))
            continue
        differing = [name for name in state if state[name] != old[key][name]]
        if differing:
            action = _edit_action(differing)
            changes.append(
                MapChange(
                    action,
                    key,
                    {name: old[key][name] for name in differing},
                    {name: state[name] for name in differing},
                )
            )
    changes.extend(
        MapChange("delete_objective", key, old[key], None) for key in old if key not in new
    )
    old_links, new_links = set(before.links), set(after.links)
    changes.extend(
        MapChange("add_link", f"{c} → {e}", None, {"cause": c, "effect": e})
        for c, e in after.links
        if (c, e) not in old_links
    )
    changes.extend(
        MapChange("remove_link", f"{c} → {e}", {"cause": c, "effect": e}, None)
        for c, e in before.links
        if (c, e) not in new_links
    )
    return changes


def _edit_action(differing: list[str]) -> str:
    if differing == ["perspective"]:
        return "move_objective"
    if set(differing) <= {"kpis", "weights"}:
        return "set_kpis"
    if set(differing) <= {"title", "title_zh", "description"}:
        return "rename_objective"
    return "edit_objective"

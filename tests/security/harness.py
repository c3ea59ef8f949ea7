"""What the authorisation matrix drives: the actors, and the app's pages, callbacks, routes and
commands enumerated from the running app (so a new one cannot slip past the table).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import dash
import typer.main
from dash._utils import split_callback_id

__all__ = [
    "ACTORS",
    "Actor",
    "callback_name",
    "callback_payload",
    "cli_commands",
    "page_templates",
    "route_keys",
    "slot",
]


@dataclass(frozen=True)
class Actor:
    """Who calls, and whose data they ask for (the member code an entry's member slot gets)."""

    name: str
    username: str | None
    code: str


#: Member A is M001 (user m001); member B is M002. The programme roles ask for B's data.
ACTORS = (
    Actor("anonymous", None, "M002"),
    Actor("executive", "exec", "M002"),
    Actor("program_office", "po", "M002"),
    Actor("member_own", "m001", "M001"),
    Actor("member_other", "m001", "M002"),
    Actor("admin", "office", "M002"),
)


# --------------------------------------------------------------------------- enumeration


def page_templates() -> set[str]:
    return {page.get("path_template") or page["path"] for page in dash.page_registry.values()}


def route_keys(server: Any) -> set[str]:
    """``"METHOD rule"`` for every Flask URL rule and method."""
    keys = set()
    for rule in server.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            keys.add(f"{method} {rule.rule}")
    return keys


def callback_name(entry: Mapping[str, Any], key: str) -> str:
    """``module.function`` of a server callback; ``clientside:OUTPUT`` for a browser-only one."""
    function = entry.get("callback")
    function = getattr(function, "__wrapped__", function)
    if function is None:
        return f"clientside:{key}"
    return f"{function.__module__}.{function.__qualname__}"


def cli_commands(app: typer.Typer) -> set[str]:
    found: set[str] = set()

    def walk(command: Any, prefix: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            found.add(" ".join(prefix))
            return
        for name, child in children.items():
            walk(child, (*prefix, name))

    walk(typer.main.get_command(app), ())
    return found


# --------------------------------------------------------------------------- callback payloads


def slot(component_id: str | Mapping[str, Any], prop: str) -> str:
    """A readable name for one input/state/output: ``id.prop``, or for a pattern-matching id its
    type with its fixed values, e.g. ``period-value:scorecard-period.value``."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        component_id = json.loads(component_id)
    if isinstance(component_id, Mapping):
        fixed = [
            str(value)
            for key, value in sorted(component_id.items())
            if key != "type" and not isinstance(value, list)
        ]
        name = ":".join([str(component_id["type"]), *fixed])
        return f"{name}.{prop.split('@')[0]}"
    return f"{component_id}.{prop.split('@')[0]}"


def _concrete(raw: str, wildcards: Mapping[str, Any]) -> tuple[Any, bool]:  # (id or ids, is a list)
    """Pattern-matching ids with MATCH taken from ``wildcards`` and ALL expanded over its list."""
    if not raw.startswith("{"):
        return raw, False
    pattern = json.loads(raw)
    expanded: list[dict[str, Any]] = [{}]
    is_list = False
    for key, value in pattern.items():
        if value == ["ALL"]:
            is_list = True
            options = wildcards[key]
            options = options if isinstance(options, list) else [options]
            expanded = [{**item, key: option} for item in expanded for option in options]
        elif isinstance(value, list):  # MATCH / ALLSMALLER
            expanded = [{**item, key: wildcards[key]} for item in expanded]
        else:
            expanded = [{**item, key: value} for item in expanded]
    return (expanded if is_list else expanded[0]), is_list


def _items(
    specs: list[dict[str, str]], values: Mapping[str, Any], wildcards: Mapping[str, Any]
) -> list[Any]:
    items: list[Any] = []
    for spec in specs:
        name = slot(spec["id"], spec["property"])
        default = 1 if spec["property"] == "n_clicks" else None
        value = values.get(name, default)
        concrete, is_list = _concrete(spec["id"], wildcards)
        if is_list:
            per_item = value if isinstance(value, list) else [value] * len(concrete)
            items.append(
                [
                    {"id": one, "property": spec["property"], "value": v}
                    for one, v in zip(concrete, per_item, strict=True)
                ]
            )
        else:
            items.append({"id": concrete, "property": spec["property"], "value": value})
    return items


def _outputs(key: str, wildcards: Mapping[str, Any]) -> Any:
    parts = split_callback_id(key)
    single = isinstance(parts, dict)
    outputs = []
    for part in [parts] if single else parts:
        concrete, is_list = _concrete(part["id"], wildcards)
        if is_list:
            outputs.append([{"id": one, "property": part["property"]} for one in concrete])
        else:
            outputs.append({"id": concrete, "property": part["property"]})
    return outputs[0] if single else outputs


def _flat(items: list[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield from item if isinstance(item, list) else [item]


def callback_payload(
    key: str,
    entry: Mapping[str, Any],
    *,
    values: Mapping[str, Any],
    wildcards: Mapping[str, Any],
    trigger: str | None,
) -> dict[str, Any]:
    """The JSON body the Dash renderer posts to ``/_dash-update-component`` for this callback."""
    inputs = _items(entry["inputs"], values, wildcards)
    state = _items(entry.get("state", []), values, wildcards)
    flat = list(_flat(inputs))
    chosen = next(
        (i for i in flat if slot(i["id"], i["property"]) == trigger), flat[0] if flat else None
    )
    changed = []
    if chosen is not None:
        ident = chosen["id"]
        text = json.dumps(ident, sort_keys=True, separators=(",", ":"))
        changed = [f"{text if isinstance(ident, dict) else ident}.{chosen['property']}"]
    return {
        "output": key,
        "outputs": _outputs(key, wildcards),
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }

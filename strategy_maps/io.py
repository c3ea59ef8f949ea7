"""Reading and writing map files in YAML or JSON (DESIGN §6), keeping everything and its order.

Writing always puts the fields in the same order (``member``, ``name``, ``objectives`` with
``key, perspective, title, title_zh, description, kpis, template_key``, then ``links``) and leaves
out optional fields that are empty, so that reading a file and writing it back gives the same text.
Problems of single entries are collected as :class:`~strategy_maps.issues.MapIssue` values; only a
file that is not a map at all raises :class:`~strategy_maps.errors.MapFormatError`.
"""

from __future__ import annotations

import codecs
import json
from enum import StrEnum
from pathlib import PurePath
from typing import Any

import yaml

from kpi.messages import N_, Text
from kpi.vocabulary import parse_perspective
from strategy_maps.errors import MapFormatError
from strategy_maps.issues import MapIssue, Rule, Severity
from strategy_maps.model import KpiRef, MapDocument, MapObjective

__all__ = [
    "MapFormat",
    "format_for",
    "read_map",
    "parse_document",
    "document_to_dict",
    "dump_map",
]

_TOP_FIELDS = ("member", "name", "objectives", "links")
_OBJECTIVE_FIELDS = (
    "key",
    "perspective",
    "title",
    "title_zh",
    "description",
    "kpis",
    "template_key",
)


class MapFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


def format_for(filename: str | None, text: str = "") -> MapFormat:
    """The format a file name's suffix names; without one, JSON when the text looks like JSON.

    Examples
    --------
    >>> format_for("M001.yml"), format_for("map.json"), format_for(None, '{"name": "x"}')
    (<MapFormat.YAML: 'yaml'>, <MapFormat.JSON: 'json'>, <MapFormat.JSON: 'json'>)
    """
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".json":
        return MapFormat.JSON
    if suffix in (".yaml", ".yml"):
        return MapFormat.YAML
    return MapFormat.JSON if text.lstrip().startswith("{") else MapFormat.YAML


def read_map(
    data: bytes | str, *, filename: str | None = None, fmt: MapFormat | None = None
) -> tuple[MapDocument, list[MapIssue]]:
    """Read a map file (YAML or JSON, any common encoding) into a document and its entry problems.

    Examples
    --------
    >>> text = "name: Pilot\\nobjectives:\\n- {key: F1, perspective: 財務, title: Cost}\\n"
    >>> document, issues = read_map(text, filename="pilot.yaml")
    >>> document.objectives[0].perspective, document.objectives[0].line, issues
    ('financial', 3, [])
    """
    text = _decode(data) if isinstance(data, bytes) else data
    if not text.strip():
        raise MapFormatError(N_("the file is empty; a map has a name, objectives and links"))
    fmt = fmt or format_for(filename, text)
    content, lines = _load_json(text) if fmt is MapFormat.JSON else _load_yaml(text)
    return parse_document(content, lines=lines)


def _decode(data: bytes) -> str:
    """Map files are written by hand: UTF-8 (with or without BOM), UTF-16 with a BOM, or the
    Big5 and GB18030 that Chinese Windows editors save; tried strictly in that order, since
    statistical detection guesses wrong on a short file."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom) or (codec == "utf-16" and data.startswith(codecs.BOM_UTF16_BE)):
            return data.decode(codec)
    for codec in ("utf-8", "cp950", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise MapFormatError(N_("the file is not text in UTF-8, Big5 or GB18030; save it as UTF-8"))


def _load_json(text: str) -> tuple[Any, dict[str, list[int]]]:
    try:
        return json.loads(text), {}
    except json.JSONDecodeError as exc:
        raise MapFormatError(
            N_("not valid JSON: {problem}"), line=exc.lineno, problem=exc.msg
        ) from exc


def _load_yaml(text: str) -> tuple[Any, dict[str, list[int]]]:
    """The YAML content and the line of each entry of ``objectives`` and ``links``."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        content = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise MapFormatError(
            N_("not valid YAML: {problem}"),
            line=None if mark is None else mark.line + 1,
            problem=problem,
        ) from exc
    finally:
        loader.dispose()
    lines: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(value_node, yaml.SequenceNode):
                lines[str(key_node.value)] = [item.start_mark.line + 1 for item in value_node.value]
    return content, lines


def parse_document(
    content: Any, *, lines: dict[str, list[int]] | None = None
) -> tuple[MapDocument, list[MapIssue]]:
    """Build a document from already parsed content (a file's mapping, or the editor's store).

    Examples
    --------
    >>> document, issues = parse_document({"name": "x", "objectives": [], "links": [["A"]]})
    >>> [issue.rule.value for issue in issues]
    ['bad_entry']
    """
    lines = lines or {}
    if not isinstance(content, dict):
        raise MapFormatError(
            N_("a map file is a mapping with name, objectives and links (see data/demo/maps)")
        )
    issues: list[MapIssue] = [
        _issue(
            Rule.UNKNOWN_FIELD,
            Severity.WARNING,
            (),
            N_("the field {field} is not part of a map and is ignored"),
            field=str(name),
        )
        for name in content
        if name not in _TOP_FIELDS
    ]
    name = _text(content.get("name"))
    objectives = _objectives(content.get("objectives"), lines.get("objectives", []), issues)
    links, link_lines = _links(content.get("links"), lines.get("links", []), issues)
    document = MapDocument(
        name=name or "",
        member=_text(content.get("member")),
        objectives=tuple(objectives),
        links=tuple(links),
        link_lines=tuple(link_lines),
    )
    return document, issues


def _issue(
    rule: Rule,
    severity: Severity,
    objectives: tuple[str, ...],
    template: str,
    line: int | None = None,
    **params: Any,
) -> MapIssue:
    return MapIssue(rule, severity, objectives, Text(template, **params), line)


def _text(value: Any) -> str | None:
    """A scalar as text (YAML reads ``key: 1`` as a number); ``None`` and blanks stay ``None``."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    return text if text.strip() else None


def _sequence(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MapFormatError(N_("{field} must be a list"), field=what)
    return value


def _objectives(raw: Any, lines: list[int], issues: list[MapIssue]) -> list[MapObjective]:
    objectives = []
    for index, entry in enumerate(_sequence(raw, "objectives")):
        line = lines[index] if index < len(lines) else None
        if not isinstance(entry, dict) or _text(entry.get("key")) is None:
            issues.append(
                _issue(
                    Rule.BAD_ENTRY,
                    Severity.ERROR,
                    (),
                    N_("objective number {number} has no key; give each objective a key"),
                    line,
                    number=index + 1,
                )
            )
            continue
        key = str(_text(entry["key"]))
        for name in entry:
            if name not in _OBJECTIVE_FIELDS:
                issues.append(
                    _issue(
                        Rule.UNKNOWN_FIELD,
                        Severity.WARNING,
                        (key,),
                        N_("the field {field} of objective {key} is not known and is ignored"),
                        line,
                        field=str(name),
                        key=key,
                    )
                )
        perspective = _text(entry.get("perspective")) or ""
        canonical = parse_perspective(perspective)
        objectives.append(
            MapObjective(
                key=key,
                perspective=perspective if canonical is None else canonical.value,
                title=_text(entry.get("title")) or "",
                title_zh=_text(entry.get("title_zh")),
                description=_text(entry.get("description")),
                kpis=_kpis(entry.get("kpis"), key, line, issues),
                template_key=_text(entry.get("template_key")),
                line=line,
            )
        )
    return objectives


def _kpis(raw: Any, key: str, line: int | None, issues: list[MapIssue]) -> tuple[KpiRef, ...]:
    if raw is None:
        return ()
    entries = raw if isinstance(raw, list) else [raw]
    refs = []
    for entry in entries:
        if isinstance(entry, dict):
            code, weight = _text(entry.get("code")), entry.get("weight", 1.0)
        else:
            code, weight = _text(entry), 1.0
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            weight = float("nan")
        if code is None or not weight > 0:
            issues.append(
                _issue(
                    Rule.BAD_ENTRY,
                    Severity.ERROR,
                    (key,),
                    N_(
                        "objective {key} lists a KPI as {value}; give KPI codes, or "
                        "{{code: …, weight: …}} with a positive weight"
                    ),
                    line,
                    key=key,
                    value=json.dumps(entry, ensure_ascii=False, default=str),
                )
            )
            continue
        refs.append(KpiRef(code, weight))
    return tuple(refs)


def _links(
    raw: Any, lines: list[int], issues: list[MapIssue]
) -> tuple[list[tuple[str, str]], list[int | None]]:
    links: list[tuple[str, str]] = []
    link_lines: list[int | None] = []
    for index, entry in enumerate(_sequence(raw, "links")):
        line = lines[index] if index < len(lines) else None
        pair = [_text(end) for end in entry] if isinstance(entry, list) else []
        if len(pair) != 2 or None in pair:
            issues.append(
                _issue(
                    Rule.BAD_ENTRY,
                    Severity.ERROR,
                    (),
                    N_("link number {number} is {value}; write each link as [cause, effect]"),
                    line,
                    number=index + 1,
                    value=json.dumps(entry, ensure_ascii=False, default=str),
                )
            )
            continue
        links.append((str(pair[0]), str(pair[1])))
        link_lines.append(line)
    return links, link_lines


def document_to_dict(document: MapDocument) -> dict[str, Any]:
    """The file form of a document, fields in their fixed order, empty optional fields left out.

    Examples
    --------
    >>> document_to_dict(MapDocument(name="Template"))
    {'name': 'Template', 'objectives': [], 'links': []}
    """
    content: dict[str, Any] = {}
    if document.member is not None:
        content["member"] = document.member
    content["name"] = document.name
    content["objectives"] = [_objective_dict(objective) for objective in document.objectives]
    content["links"] = [[cause, effect] for cause, effect in document.links]
    return content


def _objective_dict(objective: MapObjective) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": objective.key,
        "perspective": objective.perspective,
        "title": objective.title,
    }
    if objective.title_zh is not None:
        entry["title_zh"] = objective.title_zh
    if objective.description is not None:
        entry["description"] = objective.description
    entry["kpis"] = [
        ref.code if ref.weight == 1.0 else {"code": ref.code, "weight": ref.weight}
        for ref in objective.kpis
    ]
    if objective.template_key is not None:
        entry["template_key"] = objective.template_key
    return entry


def dump_map(document: MapDocument, fmt: MapFormat = MapFormat.YAML) -> str:
    """The document as YAML or JSON text, in the stable field order of :func:`document_to_dict`.

    Examples
    --------
    >>> print(dump_map(MapDocument(name="Template"), MapFormat.YAML), end="")
    name: Template
    objectives: []
    links: []
    """
    content = document_to_dict(document)
    if fmt is MapFormat.JSON:
        return json.dumps(content, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)

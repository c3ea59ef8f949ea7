"""Validating a KPI feed against the catalogue: every problem collected, nothing raised.

:func:`validate_feed` takes a :class:`~kpi.reading.RawTable`, the :class:`Catalogue` of members and
KPIs and the uploader's scope, and returns a :class:`ValidatedFeed`: the measurements to store
(one row per member, KPI and period, in integer ids and canonical periods) and every
:class:`~kpi.issues.Issue` with its spreadsheet line. Checks run on whole columns at once, and each
distinct member, KPI or period text is looked up once, so a million-row file takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kpi.issues import InputRejected, Issue, Reason, Severity, errors_in
from kpi.layouts import TOTAL_WORDS, Layout, normalise_name, shape_feed
from kpi.messages import N_, Text
from kpi.numbers import parse_numbers
from kpi.periods import BadPeriod, parse_distinct_periods
from kpi.reading import Limits, RawTable, read_table
from kpi.tabular import normalise_header
from kpi.vocabulary import Frequency

__all__ = [
    "CatalogueMember",
    "CatalogueKpi",
    "Catalogue",
    "FeedOptions",
    "ValidatedFeed",
    "validate_feed",
    "read_feed",
    "MAX_ISSUES_PER_REASON",
]

#: Beyond this many issues of one reason, the report says how many more there are.
MAX_ISSUES_PER_REASON = 1000
_PREVIEW_ROWS = 50


@dataclass(frozen=True)
class CatalogueMember:
    id: int
    code: str
    name: str
    name_zh: str | None = None


@dataclass(frozen=True)
class CatalogueKpi:
    id: int
    code: str
    name: str
    name_zh: str | None
    frequency: Frequency
    #: The member whose own KPI this is; ``None`` for programme-wide KPIs.
    member_id: int | None = None


@dataclass
class Catalogue:
    """The members and KPIs a feed may name, with lookups by code, name and Chinese name."""

    members: list[CatalogueMember]
    kpis: list[CatalogueKpi]

    def member_lookup(self) -> dict[str, int]:
        return _lookup((m.id, (m.name, m.name_zh, m.code)) for m in self.members)

    def kpi_lookup(self) -> dict[str, int]:
        """Normalised code or name → position in :attr:`kpis`."""
        return _lookup((i, (k.name, k.name_zh, k.code)) for i, k in enumerate(self.kpis))

    def kpi_names(self) -> dict[str, str]:
        """Normalised code or name → KPI code, for recognising wide-by-KPI columns."""
        return {key: self.kpis[index].code for key, index in self.kpi_lookup().items()}

    def member_code(self, member_id: int | None) -> str | None:
        return next((m.code for m in self.members if m.id == member_id), None)


def _lookup(entries: Iterable[tuple[int, tuple[str | None, ...]]]) -> dict[str, int]:
    # Later keys win: codes come last so that a code always means its own entry.
    table: dict[str, int] = {}
    for key, names in entries:
        for name in names:
            if name:
                table[normalise_name(name)] = key
    return table


@dataclass(frozen=True)
class FeedOptions:
    """How to read a feed when the guesses need help (the CLI's options)."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    header_row: int | None = None
    period_format: str | None = None
    scale: float = 1.0
    ignore_unknown_members: bool = False
    encoding: str | None = None
    sheet: str | None = None


@dataclass
class ValidatedFeed:
    """A checked feed: what to store, and every problem found."""

    layout: Layout | None
    encoding: str | None
    #: ``line``, ``member_id``, ``kpi_id``, ``granularity``, ``period_start``, ``value``, ``target``
    measurements: pd.DataFrame
    issues: list[Issue]
    read: int = 0
    empty: int = 0
    ignored: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(errors_in(self.issues))

    @property
    def member_ids(self) -> list[int]:
        return sorted(int(m) for m in pd.unique(self.measurements["member_id"]))


def read_feed(
    data: bytes,
    filename: str,
    catalogue: Catalogue,
    *,
    options: FeedOptions | None = None,
    uploader_member_id: int | None = None,
    limits: Limits | None = None,
) -> ValidatedFeed:
    """Read and validate the bytes of a feed file; unreadable files give a one-issue report.

    Examples
    --------
    >>> catalogue = Catalogue(
    ...     members=[CatalogueMember(1, "M001", "Formosa Securities", "福爾摩沙證券")],
    ...     kpis=[CatalogueKpi(7, "INCIDENTS", "Incidents", "交割異常件數", Frequency.MONTHLY)],
    ... )
    >>> feed = read_feed("機構代號,指標代碼,資料年月,數值\\nM001,INCIDENTS,114/01,3\\n".encode(),
    ...                  "feed.csv", catalogue)
    >>> feed.measurements[["member_id", "kpi_id", "granularity", "value"]].values.tolist()
    [[1, 7, 'month', 3.0]]
    >>> read_feed(b"kpi,period,value\\nINCIDENTS,2025-13,3\\n", "f.csv", catalogue,
    ...           uploader_member_id=1).issues[0].message.template
    'month {month} does not exist'
    """
    options = options or FeedOptions()
    try:
        table = read_table(
            data, filename, encoding=options.encoding, sheet=options.sheet, limits=limits
        )
    except InputRejected as rejected:
        return _rejected([rejected.issue], encoding=None)
    return validate_feed(table, catalogue, options=options, uploader_member_id=uploader_member_id)


def _rejected(
    issues: list[Issue], *, encoding: str | None, layout: Layout | None = None
) -> ValidatedFeed:
    return ValidatedFeed(
        layout=layout, encoding=encoding, measurements=_empty_measurements(), issues=issues
    )


def _empty_measurements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line": pd.Series(dtype="int64"),
            "member_id": pd.Series(dtype="int64"),
            "kpi_id": pd.Series(dtype="int64"),
            "granularity": pd.Series(dtype=object),
            "period_start": pd.Series(dtype="datetime64[s]"),
            "value": pd.Series(dtype="float64"),
            "target": pd.Series(dtype="float64"),
        }
    )


def validate_feed(
    table: RawTable,
    catalogue: Catalogue,
    *,
    options: FeedOptions | None = None,
    uploader_member_id: int | None = None,
) -> ValidatedFeed:
    """Check every row of ``table``; ``uploader_member_id`` limits the rows to that member.

    Without a member column the rows are the uploader's. Rows of other members are
    ``member_not_allowed``; unknown members are errors unless ``ignore_unknown_members``.
    """
    options = options or FeedOptions()
    try:
        shaped = shape_feed(
            table,
            kpi_names=catalogue.kpi_names(),
            mapping=options.mapping,
            header_row=options.header_row,
            member_optional=uploader_member_id is not None,
        )
    except BadPeriod as exc:  # only a malformed --period-format gets here
        return _rejected([_file_issue(Reason.BAD_PERIOD, exc.text)], encoding=table.encoding)
    if shaped.layout is None or errors_in(shaped.issues):
        rejected = _rejected(shaped.issues, encoding=table.encoding, layout=shaped.layout)
        rejected.header = shaped.header
        return rejected
    rows = shaped.rows
    if rows.empty:
        issue = _file_issue(Reason.EMPTY_FILE, Text("the file has a header but no rows of data"))
        return _rejected([issue, *shaped.issues], encoding=table.encoding, layout=shaped.layout)
    checker = _Checker(rows, catalogue, shaped.columns, options, uploader_member_id)
    try:
        checker.run()
    except BadPeriod as exc:
        return _rejected([_file_issue(Reason.BAD_PERIOD, exc.text)], encoding=table.encoding)
    issues = _capped(shaped.issues + checker.issues)
    return ValidatedFeed(
        layout=shaped.layout,
        encoding=table.encoding,
        measurements=checker.measurements(),
        issues=issues,
        read=len(rows) + shaped.ignored_lines,
        empty=checker.empty_count,
        ignored=checker.ignored_count + shaped.ignored_lines,
        columns=shaped.columns,
        preview=checker.preview(_PREVIEW_ROWS),
        header=shaped.header,
    )


def _file_issue(reason: Reason, message: Text) -> Issue:
    return Issue(None, None, None, reason, message)


class _Checker:
    """The column-wise checks of one feed; each check adds a mask and its issues."""

    def __init__(
        self,
        rows: pd.DataFrame,
        catalogue: Catalogue,
        columns: dict[str, str],
        options: FeedOptions,
        uploader_member_id: int | None,
    ) -> None:
        self.rows = rows if isinstance(rows.index, pd.RangeIndex) else rows.reset_index(drop=True)
        self.catalogue = catalogue
        self.columns = columns
        self.options = options
        self.uploader = uploader_member_id
        size = len(self.rows)
        self.error = np.zeros(size, dtype=bool)
        self.ignored = np.zeros(size, dtype=bool)
        self.problems: dict[str, np.ndarray] = {}
        self.issues: list[Issue] = []
        self.empty_count = 0
        self.ignored_count = 0

    # ------------------------------------------------------------------ the checks

    def run(self) -> None:
        self.member_ids = self._members()
        self.kpi_index = self._kpis()
        self.periods = parse_distinct_periods(
            self.rows["period"], period_format=self.options.period_format
        )
        self.period_codes = self.periods.codes
        bad = self.periods.bad[self.period_codes]
        self._flag("period", bad, Reason.BAD_PERIOD, self.periods.message[self.period_codes[bad]])
        self._frequencies()
        numbers = parse_numbers(self.rows["value"])
        self.values = numbers.values.to_numpy(copy=True)
        if self.options.scale != 1:
            self.values *= self.options.scale
        bad = numbers.bad.to_numpy()
        self._flag("value", bad, Reason.BAD_NUMBER, numbers.messages.to_numpy()[bad])
        self.empty = numbers.empty.to_numpy() & ~self.error & ~self.ignored
        self.empty_count = int(self.empty.sum())
        del numbers  # a million rows: free them before the duplicate check
        self.targets: np.ndarray | None = None
        if "target" in self.columns:
            targets = parse_numbers(self.rows["target"])
            self.targets = targets.values.to_numpy() * self.options.scale
            bad = targets.bad.to_numpy()
            self._flag("target", bad, Reason.BAD_NUMBER, targets.messages.to_numpy()[bad])
        self._duplicates()
        self.ignored_count = int(self.ignored.sum())

    def _match(self, cells: pd.Series, lookup: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Position of each cell's entry (-1: none) and whether the cell is empty."""
        codes, uniques = _factorized(cells)
        keys = [normalise_name(value) for value in uniques]
        found = np.array([lookup.get(key, -1) for key in keys] + [-1], dtype=np.int64)
        blank = np.array([key == "" for key in keys] + [True], dtype=bool)
        return found[codes], blank[codes]

    def _members(self) -> np.ndarray:
        ids, blank = self._match(self.rows["member"], self.catalogue.member_lookup())
        if self.uploader is not None:
            ids = np.where(blank, self.uploader, ids)
        unknown = ids < 0
        if self.options.ignore_unknown_members:
            self._flag(
                "member",
                unknown,
                Reason.UNKNOWN_MEMBER,
                Text("not a member of the programme; ignored"),
                severity=Severity.WARNING,
            )
        elif unknown.any():
            cells = self.rows["member"][unknown].to_numpy(dtype=object)
            self._flag(
                "member", unknown, Reason.UNKNOWN_MEMBER, [_unknown_member(c) for c in cells]
            )
        if self.uploader is not None:
            code = self.catalogue.member_code(self.uploader)
            self._flag(
                "member",
                (ids >= 0) & (ids != self.uploader),
                Reason.MEMBER_NOT_ALLOWED,
                Text(
                    "this upload is for member {member}; rows of other members are not allowed",
                    member=code,
                ),
            )
        return ids

    def _kpis(self) -> np.ndarray:
        index, blank = self._match(self.rows["kpi"], self.catalogue.kpi_lookup())
        unknown = index < 0
        self._flag(
            "kpi",
            unknown,
            Reason.UNKNOWN_KPI,
            [_EMPTY_KPI if empty else _UNKNOWN_KPI for empty in blank[unknown]],
        )
        owners = np.array(
            [-1 if k.member_id is None else k.member_id for k in self.catalogue.kpis] + [-1],
            dtype=np.int64,
        )[index]
        foreign = (
            (index >= 0) & (owners >= 0) & (owners != self.member_ids) & (self.member_ids >= 0)
        )
        self._flag("kpi", foreign, Reason.UNKNOWN_KPI, _FOREIGN_KPI)
        return index

    def _frequencies(self) -> None:
        months = np.array([k.frequency.months for k in self.catalogue.kpis] + [0], dtype=np.int64)
        needed = months[self.kpi_index]
        given = self.periods.months[self.period_codes]
        too_fine = (given > 0) & (needed > 0) & (given < needed)
        if not too_fine.any():
            return
        self._flag(
            "period",
            too_fine,
            Reason.PERIOD_TOO_FINE,
            _texts(
                zip(
                    needed[too_fine].tolist(),
                    self.periods.label[self.period_codes[too_fine]],
                    self.periods.granularity[self.period_codes[too_fine]],
                    strict=True,
                ),
                lambda months, label, granularity: Text(
                    _TOO_FINE[months, granularity], period=label
                ),
            ),
        )

    def _duplicates(self) -> None:
        """Rows for the same member, KPI and period (however the period was written)."""
        usable = np.flatnonzero(~self.error & ~self.ignored & ~self.empty)
        if not len(usable):
            return
        codes = self.period_codes[usable]
        # One integer per member, KPI and period: hashing it is far cheaper than four columns.
        # Built in place, a million rows at 8 bytes each, as few times as possible.
        key = self.member_ids[usable] * (len(self.catalogue.kpis) + 1)
        key += self.kpi_index[usable]
        key *= 16
        key += self.periods.months[codes]
        key *= 200_000
        key += self.periods.start.astype(np.int64)[codes] + 100_000
        del codes
        ordered = np.sort(key)
        if not (ordered[1:] == ordered[:-1]).any():  # the usual case, in a fraction of the memory
            return
        del ordered
        repeated_any = pd.Series(key).duplicated(keep=False).to_numpy()
        group = pd.DataFrame(
            {
                "key": key[repeated_any],
                "line": self.rows["line"].to_numpy()[usable][repeated_any],
                "value": self.values[usable][repeated_any],
                "position": usable[repeated_any],
            }
        )
        grouped = group.groupby("key", sort=False)
        group["first_line"] = grouped["line"].transform("first")
        group["first_value"] = grouped["value"].transform("first")
        later = group[group["key"].duplicated(keep="first")]
        differs = ~np.isclose(later["value"], later["first_value"], rtol=0, atol=1e-9)
        for rows, severity in (
            (later[~differs], Severity.WARNING),
            (later[differs], Severity.ERROR),
        ):
            if rows.empty:
                continue
            mask = np.zeros(len(self.rows), dtype=bool)
            mask[rows["position"].to_numpy()] = True
            order = np.argsort(rows["position"].to_numpy())
            self._flag(
                "period",
                mask,
                Reason.DUPLICATE_ROW,
                _texts(
                    zip(
                        rows["first_line"].to_numpy()[order].tolist(),
                        rows["first_value"].to_numpy()[order].tolist(),
                        strict=True,
                    ),
                    _same_value if severity is Severity.WARNING else _other_value,
                ),
                severity=severity,
            )

    # ------------------------------------------------------------------ bookkeeping

    def _flag(
        self,
        field_name: str,
        mask: np.ndarray,
        reason: Reason,
        messages: Text | list[Text] | np.ndarray,
        *,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record an issue for each row of ``mask``; ``messages`` is one text for all of them or
        one per masked row, in row order."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        picked = np.flatnonzero(mask)
        texts = [messages] * len(picked) if isinstance(messages, str) else list(messages)
        raw = self.rows[field_name].take(picked).to_numpy(dtype=object)
        lines = self.rows["line"].to_numpy()[picked]
        headers = self._headers(field_name, picked)
        self.issues.extend(
            Issue(int(line), header, _shown(cell), reason, text, severity)
            for line, header, cell, text in zip(lines, headers, raw, texts, strict=True)
        )
        if severity is Severity.ERROR:
            self.error |= mask
        else:
            self.ignored |= mask
        self.problems[field_name] = self.problems.get(field_name, np.zeros(len(mask), bool)) | mask

    def _headers(self, field_name: str, picked: np.ndarray) -> list[str]:
        if field_name in ("period", "value"):
            column = self.rows[f"{field_name}_column"].take(picked)
            return [str(text) for text in column]
        if field_name == "kpi" and "kpi" not in self.columns and "kpi_name" not in self.columns:
            return [str(text) for text in self.rows["value_column"].take(picked)]
        header = (
            self.columns.get(field_name) or self.columns.get(f"{field_name}_name") or field_name
        )
        return [header] * len(picked)

    # ------------------------------------------------------------------ results

    def measurements(self) -> pd.DataFrame:
        if self.error.any():
            return _empty_measurements()
        keep = ~self.ignored & ~self.empty
        # Most files keep every row: then the columns are taken as they are, without copies.
        kept = slice(None) if keep.all() else np.flatnonzero(keep)
        kpi_ids = np.array([k.id for k in self.catalogue.kpis] + [-1], dtype=np.int64)
        return pd.DataFrame(
            {
                "line": self.rows["line"].to_numpy(dtype=np.int64)[kept],
                "member_id": self.member_ids[kept],
                "kpi_id": kpi_ids[self.kpi_index[kept]],
                "granularity": self.periods.granularity[self.period_codes[kept]],
                "period_start": self.periods.start[self.period_codes[kept]].astype("datetime64[s]"),
                "value": self.values[kept],
                "target": np.full(len(self.values), np.nan)[kept]
                if self.targets is None
                else self.targets[kept],
            },
            copy=False,
        )

    def preview(self, count: int) -> list[dict[str, Any]]:
        """The first rows as understood: codes, canonical periods and numbers, and the fields
        of each row that have a problem."""
        codes = {m.id: m.code for m in self.catalogue.members}
        kpis = [k.code for k in self.catalogue.kpis]
        size = min(count, len(self.rows))
        rows = []
        for position in range(size):
            raw = self.rows.iloc[position]
            member_id = int(self.member_ids[position])
            kpi = int(self.kpi_index[position])
            value = self.values[position]
            rows.append(
                {
                    "line": int(raw["line"]),
                    "member": codes.get(member_id, _shown(raw["member"])),
                    "kpi": kpis[kpi] if kpi >= 0 else _shown(raw["kpi"]),
                    "period": self.periods.label[self.period_codes[position]]
                    or _shown(raw["period"]),
                    "value": None if np.isnan(value) else float(value),
                    "value_raw": _shown(raw["value"]),
                    "problems": [name for name, mask in self.problems.items() if mask[position]],
                }
            )
        return rows


def _factorized(cells: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for a missing cell) and the distinct values of a column, categorical or not."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return cells.cat.codes.to_numpy(), list(cells.cat.categories)
    codes, uniques = pd.factorize(cells.astype(object), use_na_sentinel=True)
    return codes, list(uniques)


_EMPTY_KPI = Text("the KPI is empty")
_UNKNOWN_KPI = Text("no KPI with this code or name in the catalogue (`bsc kpis list` shows them)")
_FOREIGN_KPI = Text("this KPI belongs to another member's catalogue")
_EMPTY_MEMBER = Text("the member is empty")
_TOTAL_LINE = Text(
    "a total line in the middle of the data; remove it, or ignore such lines with "
    "--ignore-unknown-members"
)
_UNKNOWN_MEMBER = Text(
    "no member with this code or name; check it, or ignore organisations outside the "
    "programme with --ignore-unknown-members"
)
#: (months of the KPI's frequency, granularity of the period given) → what to send instead
_TOO_FINE = {
    (3, "month"): N_(
        "the KPI is reported quarterly; {period} is a month: send one value per quarter "
        "(such as 2025-Q1)"
    ),
    (12, "month"): N_(
        "the KPI is reported yearly; {period} is a month: send one value per year (such as 2025)"
    ),
    (12, "quarter"): N_(
        "the KPI is reported yearly; {period} is a quarter: send one value per year (such as 2025)"
    ),
}


def _texts(keys: Iterable[tuple[Any, ...]], make: Callable[..., Text]) -> list[Text]:
    """``make(*key)`` for each key, made once per distinct key: the bad cells of a large file
    mostly share a few messages."""
    made: dict[tuple[Any, ...], Text] = {}
    return [made[key] if key in made else made.setdefault(key, make(*key)) for key in keys]


def _same_value(line: int, _value: float) -> Text:
    return Text("the same value as line {line}; counted once", line=line)


def _other_value(line: int, value: float) -> Text:
    return Text(
        "line {line} already gives this member, KPI and period the value {value:g}; keep one "
        "of the two",
        line=line,
        value=value,
    )


def _unknown_member(cell: object) -> Text:
    if _shown(cell) in (None, ""):
        return _EMPTY_MEMBER
    if isinstance(cell, str) and normalise_header(cell) in TOTAL_WORDS:
        return _TOTAL_LINE
    return _UNKNOWN_MEMBER


def _shown(cell: object) -> str | None:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "strftime"):
        return cell.strftime("%Y-%m-%d")
    return str(cell)


def _capped(issues: list[Issue]) -> list[Issue]:
    """Errors first, then warnings, each by line, each once; at most MAX_ISSUES_PER_REASON of a
    reason."""
    # A wide row repeats its member's problem in every value cell: report it once per line.
    unique = list(dict.fromkeys(issues))
    ordered = sorted(
        unique,
        key=lambda i: (i.severity is not Severity.ERROR, i.line is not None, i.line or 0),
    )
    counts: dict[tuple[Reason, Severity], int] = {}
    kept: list[Issue] = []
    for issue in ordered:
        key = (issue.reason, issue.severity)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_ISSUES_PER_REASON:
            kept.append(issue)
    for (reason, severity), count in counts.items():
        if count > MAX_ISSUES_PER_REASON:
            kept.append(
                Issue(
                    None,
                    None,
                    None,
                    reason,
                    Text(
                        "{more:,} more lines have this problem ({count:,} in all); the first "
                        "{listed:,} are listed",
                        more=count - MAX_ISSUES_PER_REASON,
                        count=count,
                        listed=MAX_ISSUES_PER_REASON,
                    ),
                    severity,
                )
            )
    return kept

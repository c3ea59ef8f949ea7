"""PostgreSQL binary ``COPY`` data encoded from, and decoded into, whole numpy columns at once.

psycopg's ``Copy.write_row`` formats every row in Python, which costs more than a second for a
million measurements. The binary COPY format (PostgreSQL's documentation, "COPY", "Binary Format")
is a fixed layout per row when every field has a fixed width: a 16-bit field count, then for each
field a 32-bit length and the big-endian value. A numpy record array with that layout encodes a
chunk of rows in one step; the bytes go to ``Copy.write``, which passes them through unchanged.
The same layout reads the output of ``COPY (SELECT …) TO STDOUT (FORMAT BINARY)`` back without a
Python object per row.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

__all__ = ["binary_copy_data", "binary_copy_records", "CopyBlock"]

#: Rows of one block: their count and, per column, (PostgreSQL type, values or one value).
CopyBlock = tuple[int, Sequence[tuple[str, Any]]]

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_TRAILER = struct.pack("!h", -1)
_FORMATS = {"int4": ">i4", "int8": ">i8", "float8": ">f8", "date": ">i4", "timestamptz": ">i8"}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  #: PostgreSQL's day and microsecond zero
_EPOCH_DAYS = np.datetime64("2000-01-01", "D").astype(np.int64)
_CHUNK_ROWS = 100_000


def binary_copy_data(blocks: Iterable[CopyBlock]) -> Iterator[bytes]:
    """The whole binary ``COPY … FROM STDIN (FORMAT BINARY)`` stream of ``blocks``, in chunks.

    Each block is ``(size, columns)``; each column is ``(type, values)`` with ``type`` one of
    ``int4``, ``int8``, ``float8``, ``date``, ``timestamptz`` or ``text``. ``values`` is an array
    of ``size`` values (``datetime64`` for dates) or one value for every row (a ``str`` for text,
    an aware ``datetime`` for a timestamp). Values are never NULL. All blocks must have the same
    number of columns, in the order the ``COPY`` statement names them.

    Examples
    --------
    >>> chunks = list(binary_copy_data([(2, [("int4", np.array([1, 2])), ("text", "month")])]))
    >>> chunks[1][:16].hex(" ")
    '00 02 00 00 00 04 00 00 00 01 00 00 00 05 6d 6f'
    """
    yield _SIGNATURE
    for size, columns in blocks:
        layout, values = _layout(columns)
        for begin in range(0, size, _CHUNK_ROWS):
            end = min(size, begin + _CHUNK_ROWS)
            records = np.empty(end - begin, dtype=layout)
            records["count"] = len(columns)
            for index, value in enumerate(values):
                records[f"length{index}"] = layout[f"value{index}"].itemsize
                records[f"value{index}"] = value if np.ndim(value) == 0 else value[begin:end]
            yield records.tobytes()
    yield _TRAILER


def _layout(columns: Sequence[tuple[str, Any]]) -> tuple[np.dtype, list[Any]]:
    fields: list[tuple[str, str]] = [("count", ">i2")]
    values: list[Any] = []
    for index, (kind, value) in enumerate(columns):
        if kind == "text":
            if not isinstance(value, str):
                raise TypeError("a text column takes one value for every row of its block")
            encoded = value.encode("utf-8")
            fields += [(f"length{index}", ">i4"), (f"value{index}", f"S{len(encoded)}")]
            values.append(np.bytes_(encoded))
            continue
        fields += [(f"length{index}", ">i4"), (f"value{index}", _FORMATS[kind])]
        values.append(_converted(kind, value))
    return np.dtype(fields), values


def _converted(kind: str, value: Any) -> Any:
    if kind == "date":
        if isinstance(value, date):
            value = np.datetime64(value, "D")
        return np.asarray(value).astype("datetime64[D]").astype(np.int64) - _EPOCH_DAYS
    if kind == "timestamptz":
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise TypeError("a timestamptz column takes one timezone-aware datetime")
        return (value - _EPOCH) // timedelta(microseconds=1)
    return value


def binary_copy_records(data: bytes, kinds: Sequence[str]) -> np.ndarray:
    """The rows of a binary ``COPY … TO STDOUT (FORMAT BINARY)`` stream whose columns are the
    fixed-width types ``kinds`` (no text, never NULL), as a record array with fields ``value0``,
    ``value1``, … (dates as days since 2000-01-01, as PostgreSQL sends them).

    Raises
    ------
    ValueError
        When the stream does not have that layout.

    Examples
    --------
    >>> data = b"".join(binary_copy_data([(2, [("int4", np.array([3, 4])), ("float8", 0.5)])]))
    >>> binary_copy_records(data, ["int4", "float8"])["value0"].tolist()
    [3, 4]
    """
    layout = np.dtype(
        [("count", ">i2")]
        + [
            field
            for index, kind in enumerate(kinds)
            for field in ((f"length{index}", ">i4"), (f"value{index}", _FORMATS[kind]))
        ]
    )
    body = len(data) - len(_SIGNATURE) - len(_TRAILER)
    if not data.startswith(_SIGNATURE) or not data.endswith(_TRAILER) or body % layout.itemsize:
        raise ValueError("not a binary COPY stream of fixed-width columns")
    records = np.frombuffer(
        data, dtype=layout, count=body // layout.itemsize, offset=len(_SIGNATURE)
    )
    if (records["count"] != len(kinds)).any() or any(
        (records[f"length{index}"] != layout[f"value{index}"].itemsize).any()
        for index in range(len(kinds))
    ):
        raise ValueError("the COPY stream's rows do not have the expected columns")
    return records

"""Binary COPY data encoded from numpy columns reads back in PostgreSQL as it was written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import psycopg
import pytest
from sqlalchemy.engine import make_url

from bsc.binary_copy import binary_copy_data, binary_copy_records


@pytest.mark.postgres
def test_every_type_reads_back_as_written_across_blocks_and_chunks(postgres_url):
    size = 250_001  # more than two chunks
    members = np.arange(size, dtype=np.int64) - 5
    days = np.datetime64("1899-12-31", "D") + np.arange(size) % 120_000
    values = np.linspace(-1e6, 1e6, size)
    stamp = datetime(2025, 3, 4, 5, 6, 7, 891_011, tzinfo=UTC)
    blocks = [
        (
            size,
            [
                ("int4", members),
                ("int8", members * 10_000_000_000),
                ("text", "month"),
                ("date", days),
                ("float8", values),
                ("timestamptz", stamp),
            ],
        ),
        (
            1,
            [
                ("int4", 7),
                ("int8", -1),
                ("text", "季度 quarter"),
                ("date", date(2025, 4, 1)),
                ("float8", np.array([np.inf])),
                ("timestamptz", stamp),
            ],
        ),
    ]
    url = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(url) as connection:
        connection.execute(
            "CREATE TEMPORARY TABLE copied (a integer, b bigint, c varchar(20), d date, "
            "e double precision, f timestamptz)"
        )
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY copied FROM STDIN (FORMAT BINARY)") as copy,
        ):
            for data in binary_copy_data(blocks):
                copy.write(data)
        assert connection.execute("SELECT count(*) FROM copied").fetchone() == (size + 1,)
        first = connection.execute("SELECT * FROM copied ORDER BY a LIMIT 1").fetchone()
        assert first == (-5, -50_000_000_000, "month", date(1899, 12, 31), -1e6, stamp)
        last = connection.execute(
            "SELECT a, b, d, e FROM copied WHERE c = 'month' ORDER BY a DESC LIMIT 1"
        ).fetchone()
        assert last == (
            int(members[-1]),
            int(members[-1]) * 10_000_000_000,
            days[-1].astype(date),
            1e6,
        )
        total = connection.execute("SELECT sum(e) FROM copied WHERE c = 'month'").fetchone()[0]
        assert total == pytest.approx(values.sum(), abs=1e-3)
        assert connection.execute("SELECT * FROM copied WHERE c <> 'month'").fetchone() == (
            7,
            -1,
            "季度 quarter",
            date(2025, 4, 1),
            float("inf"),
            stamp,
        )


def test_text_columns_take_one_value_and_timestamps_an_aware_datetime():
    with pytest.raises(TypeError, match="one value"):
        list(binary_copy_data([(2, [("text", np.array(["a", "b"]))])]))
    with pytest.raises(TypeError, match="timezone-aware"):
        list(binary_copy_data([(1, [("timestamptz", datetime(2025, 1, 1))])]))


def test_no_rows_is_a_signature_and_a_trailer():
    assert b"".join(binary_copy_data([])) == b"PGCOPY\n\xff\r\n\x00" + bytes(8) + b"\xff\xff"


def test_records_read_back_what_was_encoded_and_refuse_another_layout():
    ids = np.array([1, -2, 2_000_000_000])
    data = b"".join(
        binary_copy_data([(3, [("int4", ids), ("float8", np.array([0.5, -1, 1e300]))])])
    )
    records = binary_copy_records(data, ["int4", "float8"])
    assert records["value0"].tolist() == ids.tolist()
    assert records["value1"].tolist() == [0.5, -1.0, 1e300]
    with pytest.raises(ValueError, match="expected columns"):
        binary_copy_records(data, ["float8", "int4"])
    with pytest.raises(ValueError, match="not a binary COPY stream"):
        binary_copy_records(data[:-3], ["int4", "float8"])
    assert len(binary_copy_records(b"".join(binary_copy_data([])), ["int4"])) == 0

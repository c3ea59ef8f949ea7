from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.numbers import BadNumber, is_no_value, parse_number, parse_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234,567", 1234567.0),
        ("12.5%", 12.5),
        ("(1,234)", -1234.0),
        ("−5", -5.0),
        ("１２３", 123.0),
        ("（１２３）", -123.0),
        ("NT$1,200", 1200.0),
        ("$ 3.5", 3.5),
        ("  42  ", 42.0),
        ("１，２３４．５", 1234.5),
        ("-0.25", -0.25),
        ("1e3", 1000.0),
        ("12.5％", 12.5),
        (7, 7.0),
        (2.5, 2.5),
    ],
)
def test_number_forms_members_send(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "marker", ["", "-", "--", "N/A", "NA", "null", "—", "n/a", None, float("nan")]
)
def test_no_value_markers_are_none_never_zero(marker):
    assert is_no_value(marker)
    assert parse_number(marker) is None


@pytest.mark.parametrize("text", ["9O", "12..5", "1,23", "abc", "--5", "1.2.3", "(", "%", True])
def test_bad_numbers_say_so(text):
    with pytest.raises(BadNumber):
        parse_number(text)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_a_formatted_number_parses_back_to_itself(value):
    rounded = round(value, 2)
    full_width = f"{rounded:,.2f}".translate(
        str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")
    )
    for text in (
        f"{rounded:,.2f}",
        f"{rounded:.2f}",
        f"NT${rounded:,.2f}",
        f" {rounded:.2f}% ",
        full_width,
        f"{rounded:.2f}".replace("-", "−"),
    ):
        assert parse_number(text) == pytest.approx(rounded, abs=1e-9), text
    if rounded < 0:
        assert parse_number(f"({-rounded:,.2f})") == pytest.approx(rounded, abs=1e-9)


@given(st.text(max_size=20))
def test_any_text_parses_or_is_reported(text):
    try:
        value = parse_number(text)
    except BadNumber:
        return
    assert value is None or math.isfinite(value)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)))
def test_vectorised_parsing_agrees_with_the_scalar_parser(values):
    cells = pd.Series([f"{value:,.3f}" for value in values] + ["--", "x"], dtype=object)
    parsed = parse_numbers(cells)
    assert parsed.values.iloc[: len(values)].tolist() == [
        parse_number(cell) for cell in cells.iloc[: len(values)]
    ]
    assert parsed.empty.tolist()[-2:] == [True, False]
    assert parsed.bad.tolist()[-2:] == [False, True]


def test_vectorised_parsing_matches_the_scalar_parser():
    cells = pd.Series(["1", "1,000", "N/A", "x", "(5)", "", "12.5%", None])
    parsed = parse_numbers(cells)
    assert parsed.values.tolist()[:2] == [1.0, 1000.0]
    assert parsed.values.iloc[4] == -5.0 and parsed.values.iloc[6] == 12.5
    assert parsed.empty.tolist() == [False, False, True, False, False, True, False, True]
    assert parsed.bad.tolist() == [False, False, False, True, False, False, False, False]
    assert "not a number" in parsed.messages.iloc[3]

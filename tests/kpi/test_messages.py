"""Messages as values: English where read as text, a template and parameters for translating."""

from __future__ import annotations

import json
import pickle

import numpy as np

from kpi.issues import BadValue, Issue, Reason, Severity
from kpi.messages import N_, Term, Text, TextError
from kpi.periods import BadPeriod, parse_period

UPPER = {"the {what} is {value!r}": "THE {what} IS {value!r}", "field": "FIELD"}


def _translate(template: str) -> str:
    return UPPER.get(template, template)


def test_a_text_is_its_english_sentence():
    text = Text("line {line} gives {value:g}", line=3, value=2.50)
    assert text == "line 3 gives 2.5" and isinstance(text, str)
    assert {text: 1}["line 3 gives 2.5"] == 1  # hashed and compared as the sentence
    assert f"{text}!" == "line 3 gives 2.5!"


def test_parameters_are_rendered_with_the_template_in_another_language():
    text = Text("the {what} is {value!r}", what=Text("field"), value="x")
    assert text.render(_translate, str) == "THE FIELD IS 'x'"
    assert Text("the {p} perspective", p=Term("learning")).render(str, str.upper) == (
        "the LEARNING perspective"
    )


def test_texts_survive_json_and_pickle():
    text = Text(
        "{what}: {count:,}",
        what=Text("the {field} column", field=Term("period")),
        count=np.int64(1200),
    )
    assert text == "the period column: 1,200"
    again = Text.from_json(json.loads(json.dumps(text.to_json())))
    assert again == text and again.template == text.template
    assert isinstance(again.params["what"].params["field"], Term)
    assert type(text.params["count"]) is int  # NumPy scalars become Python numbers
    copy = pickle.loads(pickle.dumps(text))
    assert copy.template == text.template and copy.params == text.params


def test_joined_texts_render_each_part():
    joined = Text.join([Text("field"), "line 2"], ": ")
    assert joined == "field: line 2"
    assert joined.render(_translate, str) == "FIELD: line 2"


def test_errors_carry_their_text():
    error = TextError(N_("month {month} does not exist"), month=13)
    assert str(error) == "month 13 does not exist" and error.text.params == {"month": 13}
    try:
        parse_period("2025-13")
    except BadPeriod as exc:
        assert exc.text.template == "month {month} does not exist"
        assert isinstance(exc, ValueError)
    assert isinstance(BadValue(N_("x")), ValueError)


def test_an_issue_keeps_its_template_in_its_record():
    issue = Issue(
        2,
        "period",
        "2025-13",
        Reason.BAD_PERIOD,
        Text("month {month} does not exist", month=13),
        Severity.ERROR,
    )
    record = issue.to_record()
    assert record["message"] == "month 13 does not exist"
    assert Issue.from_record(json.loads(json.dumps(record))) == issue
    assert Issue.from_record(record).message.params == {"month": 13}
    old = {key: value for key, value in record.items() if key != "text"}
    assert Issue.from_record(old).message.template == "month 13 does not exist"
    assert issue.to_dict(str.upper)["message"] == "MONTH 13 DOES NOT EXIST"

"""Messages as values: an English template and its parameters, put into words where shown.

The domain packages (:mod:`kpi`, :mod:`strategy_maps`) do not know who reads their messages. They
write each one as a :class:`Text`: an English template with ``{placeholders}`` and the values to
fill in. A Text *is* the English sentence (a ``str``), so whatever reads a message as text keeps
working; the application translates the template and fills in the same values
(``bsc.i18n.t(text)``), so that the sentence reads well in the reader's language, and it can
store the template and values (:meth:`Text.to_json`) to show an old message in any language.

Templates are found by the translation catalogue's extraction: write ``Text("…", name=value)``,
or mark a template kept elsewhere with :func:`N_`. A parameter that is itself a sentence is a
Text; one that is a vocabulary code (a perspective, a reason, a status) is a :class:`Term`, which
the application shows by its display name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

__all__ = ["N_", "Text", "Term", "TextError"]


def N_(template: str) -> str:  # noqa: N802 - the conventional gettext name for "mark only"
    """Mark ``template`` for translation where it is looked up later (as a :class:`Text`)."""
    return template


class Term(str):
    """A vocabulary code as a parameter: the code in English text, its display name in the app.

    Examples
    --------
    >>> Text("the {perspective} perspective has no objectives", perspective=Term("learning"))
    'the learning perspective has no objectives'
    """

    __slots__ = ()


class Text(str):
    """An English message that remembers its template and parameters.

    Examples
    --------
    >>> text = Text("line {line} already gives this value", line=7)
    >>> text, text.template, text.params
    ('line 7 already gives this value', 'line {line} already gives this value', {'line': 7})
    >>> text.render(lambda template: template.replace("line {line}", "row {line}"), str)
    'row 7 already gives this value'
    """

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Text:
        # Made for every bad cell of a large file: kept to the few steps it needs.
        for name, value in params.items():
            if isinstance(value, np.generic):
                params[name] = value.item()
        text = str.__new__(cls, template.format(**params) if params else template)
        text.template = template
        text.params = params
        return text

    def render(self, translate: Callable[[str], str], name: Callable[[Term], str]) -> str:
        """The message in another language: ``translate`` gives a template's translation and
        ``name`` a term's display name; parameters that are Texts are rendered the same way."""
        values = {
            key: value.render(translate, name)
            if isinstance(value, Text)
            else name(value)
            if isinstance(value, Term)
            else value
            for key, value in self.params.items()
        }
        template = translate(self.template)
        return template.format(**values) if values else template

    @classmethod
    def join(cls, parts: Iterable[str], separator: str = "; ") -> Text:
        """``parts`` one after another, each a Text (rendered in the reader's language) or text.

        Examples
        --------
        >>> Text.join([Text("{field} is required", field="code"), "line 3"])
        'code is required; line 3'
        """
        names = {f"part{index}": part for index, part in enumerate(parts)}
        return cls(separator.join("{" + name + "}" for name in names), **names)

    def to_json(self) -> dict[str, Any]:
        """The template and parameters, for storing; :meth:`from_json` reads them back."""
        return {
            "template": self.template,
            "params": {key: _to_json(value) for key, value in self.params.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        """The Text that :meth:`to_json` stored.

        Examples
        --------
        >>> text = Text("{what} is empty", what=Text("the {field}", field=Term("period")))
        >>> again = Text.from_json(text.to_json())
        >>> again == text, type(again.params["what"].params["field"]).__name__
        (True, 'Term')
        """
        params = {key: _from_json(value) for key, value in dict(data.get("params") or {}).items()}
        return cls(str(data["template"]), **params)


def _to_json(value: Any) -> Any:
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, Term):
        return {"term": str(value)}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "text" in value:
            return Text.from_json(value["text"])
        if "term" in value:
            return Term(value["term"])
    return value


class TextError(Exception):
    """An error whose message is a :class:`Text`; ``str()`` gives it in English.

    Examples
    --------
    >>> error = TextError(N_("month {month} does not exist"), month=13)
    >>> str(error), error.text.template
    ('month 13 does not exist', 'month {month} does not exist')
    """

    def __init__(self, template: str, /, **params: Any) -> None:
        self.text = (
            template if isinstance(template, Text) and not params else Text(template, **params)
        )
        super().__init__(self.text)

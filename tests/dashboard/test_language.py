"""What the browser libraries write themselves, in the reader's language; the page says which."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from bsc import i18n
from bsc.i18n import use_language
from dashboard import language
from tests.conftest import csrf_token


def test_english_readers_get_the_libraries_own_words():
    with use_language("en"):
        assert language.grid_locale_text() == {}
        config = language.plotly_config("members")
        assert "locale" not in config and config["toImageButtonOptions"] == {"filename": "members"}
        assert language.date_ticks() == {}
        assert language.dropdown_labels()["no_options_found"] == "No options found"


def test_chinese_readers_get_every_grid_chart_and_dropdown_text_translated():
    catalogue = i18n.catalogue("zh-TW")
    with use_language("zh-TW"):
        grid = language.grid_locale_text()
        config = language.plotly_config("members")
        labels = language.dropdown_labels()
    assert set(grid) == set(language.GRID_TEXTS)
    assert grid["noRowsToShow"] == "沒有資料" and grid["contains"] == "包含"
    assert all(text in catalogue for text in language.GRID_TEXTS.values())
    locale = config["locales"]["zh-TW"]
    assert config["locale"] == "zh-TW"
    assert locale["dictionary"]["Download plot as a PNG"] == "下載圖表為 PNG"
    assert set(locale["dictionary"]) == set(language.PLOTLY_TEXTS) <= set(catalogue)
    form = locale["format"]
    assert form["shortMonths"][0] == "1月" and form["days"][0] == "星期日"
    assert (form["decimal"], form["thousands"], form["month"]) == (".", ",", "%Y年%-m月")
    assert labels["selected_count"] == "已選取 {num_selected} 項"


def test_date_axes_read_in_chinese_in_exported_images_too():
    with use_language("zh-TW"):
        ticks = language.date_ticks()
    values = [stop["value"] for stop in ticks["tickformatstops"]]
    assert values == ["%Y年%-m月%-d日", "%Y年%-m月", "%Y年"]


@pytest.mark.parametrize(("code", "exponent"), [("en", None), ("zh-TW", "none")])
def test_figures_take_the_languages_separators_and_writes_large_numbers_out(code, exponent):
    figure = go.Figure(go.Scatter(x=[1, 2], y=[1_000_000, 2_500_000]))
    with use_language(code):
        language.figure_locale(figure)
    assert figure.layout.separators == ".,"
    assert figure.layout.yaxis.exponentformat == exponent


def test_the_page_declares_the_readers_language_and_names_itself_in_it(app, client_for):
    client = client_for("office")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    token = csrf_token(client)
    client.post("/language", data={"language": "zh-TW", "csrf_token": token, "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-TW">' in page
    assert 'content="總覽 · Pilot Scorecard"' in page  # the tab title Dash sets from the page


def test_every_page_has_a_title_in_each_language(app):
    import dash

    with use_language("zh-TW"):
        titles = {page["name"]: page["title"]() for page in dash.page_registry.values()}
    assert titles["Overview"] == "總覽 · Pilot Scorecard"
    assert titles["Page not found"] == "找不到頁面 · Pilot Scorecard"

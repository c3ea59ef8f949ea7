"""Page layouts rendered as functions, for each role."""

from __future__ import annotations

import json

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

from tests.conftest import as_user


def render(app, username: str, path: str) -> str:  # type: ignore[no-untyped-def]
    """Render the page at ``path`` as ``username`` sees it, as JSON text."""
    with as_user(app, username, path):
        page = next(p for p in dash.page_registry.values() if p["path"] == path)
        return json.dumps(page["layout"](), cls=PlotlyJSONEncoder, ensure_ascii=False)


@pytest.mark.parametrize(
    ("username", "visible", "hidden"),
    [
        ("exec", ["M001", "M002"], []),
        ("office", ["M001", "M002"], []),
        ("m001", ["M001"], ["M002"]),
    ],
)
def test_the_overview_lists_the_members_the_user_may_see(app, username, visible, hidden):
    text = render(app, username, "/")
    for code in visible:
        assert code in text
    for code in hidden:
        assert code not in text


def test_the_admin_page_renders_403_for_non_admins(app):
    assert '"forbidden"' in render(app, "exec", "/admin")
    assert "admin-users" in render(app, "office", "/admin")


def test_the_navigation_bar_fits_the_role(client_for):
    office = client_for("office").get("/_dash-layout").get_data(as_text=True)
    member = client_for("m001").get("/_dash-layout").get_data(as_text=True)
    assert '"href":"\\u002fadmin"' in office
    assert "admin" not in member.replace("m001", "")

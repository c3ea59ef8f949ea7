"""Figures to PNG, SVG or PDF through kaleido and the system's Chromium.

Chromium is found on the PATH (Debian's ``chromium``); ``BSC_CHROMIUM`` or kaleido's own
``BROWSER_PATH`` point elsewhere. Starting a browser costs seconds, so the first image starts one
that stays up for the life of the process and every later image reuses it. A process forked from
one that had started it (a background job beside the web server) starts its own.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go

from bsc.errors import BscError
from bsc.i18n import N_

__all__ = ["FORMATS", "ImageFormat", "render", "render_batch", "MIME_TYPES", "chromium_path"]

ImageFormat = Literal["png", "svg", "pdf"]
FORMATS: tuple[ImageFormat, ...] = ("png", "svg", "pdf")
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

_lock = threading.Lock()
_started = [False]


def _forget_browser_in_child() -> None:
    # A forked child inherits "started" but neither the thread that talks to the browser nor
    # the lock's owner: left as they are, its first image would wait forever.
    global _lock
    _lock = threading.Lock()
    _started[0] = False
    server = sys.modules.get("kaleido._sync_server")
    if server is not None:
        server.GlobalKaleidoServer()._initialized = False


os.register_at_fork(after_in_child=_forget_browser_in_child)


def chromium_path() -> str | None:
    return (
        os.environ.get("BSC_CHROMIUM")
        or os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def _ensure_server() -> None:
    with _lock:
        if _started[0]:
            return
        path = chromium_path()
        if path is None:
            raise BscError(
                N_(
                    "exporting images needs Chromium: install Debian's chromium package (apt-get "
                    "install chromium fonts-noto-cjk) or set BSC_CHROMIUM to a Chrome binary"
                )
            )
        os.environ["BROWSER_PATH"] = path
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _started[0] = True


def render(
    figure: go.Figure,
    fmt: ImageFormat,
    *,
    width: int = 1200,
    height: int = 700,
    scale: float = 1.0,
) -> bytes:
    """The image of ``figure`` as bytes in ``fmt`` (png, svg or pdf)."""
    if fmt not in FORMATS:
        raise BscError(
            N_("unknown image format {fmt!r}; choose one of {formats}"),
            fmt=fmt,
            formats=", ".join(FORMATS),
        )
    _ensure_server()
    import kaleido

    options = {"format": fmt, "width": width, "height": height, "scale": scale}
    data = kaleido.calc_fig_sync(figure, opts=options)
    return bytes(data)


def render_batch(
    figures: Sequence[go.Figure],
    fmt: ImageFormat,
    *,
    width: int = 1200,
    height: int = 700,
    scale: float = 1.0,
) -> list[bytes]:
    """The images of ``figures`` in ``fmt``, in order, rendered as one batch in the browser
    :func:`render` uses (kaleido's ``write_fig_from_object``): for many charts at once.

    Raises :class:`~bsc.errors.BscError` naming the first figure that could not be drawn.
    """
    if fmt not in FORMATS:
        raise BscError(
            N_("unknown image format {fmt!r}; choose one of {formats}"),
            fmt=fmt,
            formats=", ".join(FORMATS),
        )
    if not figures:
        return []
    _ensure_server()
    import kaleido

    options = {"format": fmt, "width": width, "height": height, "scale": scale}
    with tempfile.TemporaryDirectory(prefix="bsc-images-") as folder:
        paths = [Path(folder) / f"{number:05d}.{fmt}" for number in range(len(figures))]
        errors = kaleido.write_fig_from_object_sync(
            [
                {"fig": figure, "path": path, "opts": options}
                for figure, path in zip(figures, paths, strict=True)
            ]
        )
        missing = [number for number, path in enumerate(paths) if not path.exists()]
        if errors or missing:
            first = missing[0] if missing else 0
            raise BscError(
                N_("chart {number} of {count} could not be drawn: {errors}"),
                number=first + 1,
                count=len(figures),
                errors=errors,
            )
        return [path.read_bytes() for path in paths]

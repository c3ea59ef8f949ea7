"""Starting a server for a benchmark: a free local port, and waiting until it answers."""

from __future__ import annotations

import socket
import subprocess
import time

import requests

__all__ = ["free_port", "wait_until_up"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen[bytes], deadline: float) -> None:
    """Return once ``base``/healthz answers 200; raise if the server exits or ``deadline``
    (``time.monotonic()``) passes first."""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it served anything")
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # still starting
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within the time allowed")

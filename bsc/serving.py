"""Running the Dash app under gunicorn, the production WSGI server."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from bsc.settings import Settings

__all__ = ["run_gunicorn"]


class _Application(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # the control socket exists from gunicorn 27 on
                self.cfg.set(key, value)

    def load(self) -> Any:
        from dashboard.app import create_app

        server = create_app(self._settings).server
        # Dash finishes setting itself up (script paths, callbacks) on its first request. Threads
        # racing through that first request would find it half done and fail to serve scripts,
        # so each worker makes that request itself before it takes any.
        server.test_client().get("/healthz")
        return server


def run_gunicorn(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until interrupted; every worker builds its own app from the same settings."""
    _Application(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": 120,
            "graceful_timeout": 10,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
            "control_socket_disable": True,
        },
    ).run()

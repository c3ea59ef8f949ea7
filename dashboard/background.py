"""Where the app's background callbacks run, chosen before the Dash app exists.

With ``BSC_REDIS_URL`` they are Celery tasks on Redis, run by ``bsc worker`` processes on any host;
without it they run in processes forked beside the web server, their results kept in a disk
cache under ``BSC_HOME`` (the demo, one host). Page modules register their background callbacks
while Dash imports them, so :func:`make_manager` must run before ``dash.Dash(...)``.
"""

from __future__ import annotations

from datetime import timedelta

from celery import Celery
from dash import CeleryManager, DiskcacheManager
from dash.background_callback.managers import BaseBackgroundCallbackManager
from flask import Flask

from bsc.settings import Settings

__all__ = ["make_celery", "make_manager", "install_manager", "celery_of"]

_KEY = "bsc_background"


def make_celery(settings: Settings) -> Celery:
    """The Celery app of an installation: queue and results in Redis under its key prefix."""
    if not settings.redis_url:
        raise ValueError("background jobs on Celery need BSC_REDIS_URL")
    prefix = settings.redis_prefix
    celery = Celery(prefix, broker=settings.redis_url, backend=settings.redis_url)
    celery.conf.update(
        task_default_queue=f"{prefix}.jobs",
        control_exchange=f"{prefix}.control",
        broker_transport_options={"global_keyprefix": f"{prefix}:"},
        result_backend_transport_options={"global_keyprefix": f"{prefix}:"},
        result_expires=timedelta(days=1),
        broker_connection_retry_on_startup=True,
        # Jobs are long: a worker takes the next one only when it has a free process.
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
    )
    return celery


def make_manager(settings: Settings) -> BaseBackgroundCallbackManager:
    """Celery on Redis when configured, else a disk cache under ``BSC_HOME``."""
    if settings.redis_url:
        return CeleryManager(make_celery(settings))
    import diskcache

    cache = diskcache.Cache(str(settings.home / "background"))
    # Opened again on first use: many apps in one process (tests) must not hold files open.
    cache.close()
    return DiskcacheManager(cache)


def install_manager(server: Flask, manager: BaseBackgroundCallbackManager) -> None:
    server.extensions[_KEY] = manager


def celery_of(server: Flask) -> Celery | None:
    """The Celery app whose workers run this app's background callbacks, if any."""
    manager = server.extensions.get(_KEY)
    return manager.handle if isinstance(manager, CeleryManager) else None

"""Runtime settings, read from ``BSC_*`` environment variables and ``DATABASE_URL``.

Every value has a default that runs offline on one machine: the data directory ``./.bsc``
holds an SQLite database and the generated secret key.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kpi.reading import Limits

__all__ = ["Settings", "get_settings"]

Language = Literal["en", "zh-TW"]


class Settings(BaseSettings):
    """Configuration of one installation. See the README for the table of variables."""

    model_config = SettingsConfigDict(env_prefix="BSC_", extra="ignore", populate_by_name=True)

    home: Path = Field(default=Path(".bsc"), description="Data directory (database, secret key).")
    database_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL; default: SQLite file bsc.db in the data directory.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs sessions. Default: generated once and kept in <home>/secret_key.",
    )
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_upload_rows: int = Field(default=2_000_000, gt=0)
    max_xlsx_uncompressed_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    language: Language = Field(default="en", description="Language for users who chose none.")
    redis_url: str | None = Field(default=None, description="Redis for cache, jobs and limits.")
    production: bool = Field(default=False, description="Hide tracebacks, secure cookies.")
    sqlite_busy_timeout_ms: int = Field(default=30_000, gt=0)
    login_throttling: bool = Field(
        default=True, description="Limit sign-in attempts per client address."
    )
    limiter_prefix: str = Field(
        default="bsc-limits", description="Key prefix of sign-in counters in Redis."
    )
    trusted_proxies: int = Field(
        default=0, ge=0, description="Reverse proxies in front whose X-Forwarded-* to trust."
    )
    redis_prefix: str = Field(
        default="bsc",
        min_length=1,
        description="Prefix of the cache, job queue and job result keys this installation "
        "keeps in Redis, so that several installations can share one Redis.",
    )
    db_pool_size: int = Field(
        default=5, ge=1, description="PostgreSQL connections each process keeps open."
    )
    db_max_overflow: int = Field(
        default=10, ge=0, description="Extra PostgreSQL connections a process opens under load."
    )
    background_ingest_bytes: int = Field(
        default=1024 * 1024,
        ge=0,
        description="Files at least this large are applied by a background job on the Upload "
        "page, with a progress bar; smaller ones at once.",
    )
    job_stale_minutes: int = Field(
        default=30,
        gt=0,
        description="A job with no sign of life for this long is reported as failed "
        "(its worker was lost).",
    )

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def limits(self) -> Limits:
        """The upload limits as the readers of ``kpi`` take them."""
        return Limits(
            max_bytes=self.max_upload_bytes,
            max_rows=self.max_upload_rows,
            max_uncompressed_bytes=self.max_xlsx_uncompressed_bytes,
        )

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, falling back to the SQLite file in the data directory."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{self.home / 'bsc.db'}"

    @cached_property
    def session_secret(self) -> str:
        """The configured secret, else the one generated on first run in the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.home / "secret_key"
        if not path.exists():
            _create_secret_file(path)
        return path.read_text().strip()


def _create_secret_file(path: Path) -> None:
    """Write a new secret atomically; when several workers start at once, the first one wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def normalise_database_url(url: str) -> str:
    """Route plain ``postgresql://`` URLs through psycopg 3, the driver the product ships with."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (CLI options) on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]

"""Schema migrations through Alembic, run once even when several workers start together."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from bsc.models import metadata

__all__ = [
    "alembic_config",
    "upgrade",
    "current_revision",
    "head_revision",
    "schema_differences",
    "new_revision",
]

MIGRATIONS = Path(__file__).parent / "migrations"
#: Arbitrary constant key of the PostgreSQL advisory lock that serialises concurrent upgrades.
_ADVISORY_LOCK_KEY = 0x6273635F6D6967


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``. Concurrent callers on PostgreSQL wait for each other."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                _run_upgrade(connection, revision)
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_LOCK_KEY})
                connection.commit()
        else:
            _run_upgrade(connection, revision)


def _run_upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    connection.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match the models (empty: in sync)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def new_revision(message: str) -> Path:
    """Write a migration for what the models have and the migrations lack (developers' tool).

    The revision id is the next number; SQLModel's column types are written as plain SQLAlchemy
    ones so migrations never depend on SQLModel internals.
    """
    import re
    import tempfile

    from bsc.db import make_engine

    head = head_revision()
    revision = f"{int(head or 0) + 1:04d}"
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/head.db"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        script = command.revision(
            alembic_config(url), message=message, autogenerate=True, rev_id=revision
        )
    path = Path(script.path)  # type: ignore[union-attr]
    source = path.read_text(encoding="utf-8")
    source = source.replace("sqlmodel.sql.sqltypes.AutoString()", "sa.Text()")
    source = source.replace("sqlmodel.sql.sqltypes.AutoString(", "sa.String(")
    source = source.replace("sqlmodel.sql.sqltypes.UTCDateTime()", "sa.DateTime(timezone=True)")
    source = re.sub(r"\n *# ### (commands auto generated|end Alembic commands).*", "", source)
    path.write_text(source, encoding="utf-8")
    return path

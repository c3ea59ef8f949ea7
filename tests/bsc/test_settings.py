from __future__ import annotations

import stat

from bsc.settings import Settings, normalise_database_url


def test_defaults_put_an_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BSC_HOME", str(tmp_path / "data"))
    settings = Settings()
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'data' / 'bsc.db'}"
    assert settings.language == "en"


def test_database_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://scorecard@db.internal/bsc")
    assert (
        Settings(home=tmp_path).sqlalchemy_url == "postgresql+psycopg://scorecard@db.internal/bsc"
    )


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("BSC_SECRET_KEY", raising=False)
    first = Settings(home=tmp_path).session_secret
    second = Settings(home=tmp_path).session_secret
    assert first == second and len(first) >= 40
    mode = (tmp_path / "secret_key").stat().st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)


def test_a_configured_secret_wins(tmp_path):
    assert Settings(home=tmp_path, secret_key="from-env").session_secret == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_limits_follow_the_settings(tmp_path):
    limits = Settings(home=tmp_path, max_upload_bytes=10, max_upload_rows=5).limits
    assert (limits.max_bytes, limits.max_rows) == (10, 5)


def test_plain_postgres_urls_use_psycopg():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"

"""A throwaway PostgreSQL database on the DATABASE_URL server, created and dropped."""

import os
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


@contextmanager
def throwaway_database(name):
    """Yield the URL of a new, empty database `name`; drop it afterwards."""
    import psycopg

    configured = os.environ.get("DATABASE_URL", "")
    server = urlparse(configured if configured.startswith("postgres") else DEFAULT_SERVER)
    admin_url = urlunparse(server._replace(path="/postgres"))
    url = urlunparse(server._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_environment(database_url):
    """Settings for a process that runs against the throwaway database: production
    settings (DEBUG off, so Django keeps no query log), no .env file."""
    return {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "mentorship.settings",
            "ENV_FILE": os.devnull, "DEBUG": "false", "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
            "CELERY_BROKER_URL": "memory://"}

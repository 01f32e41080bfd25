"""Run a script as the quick start would: on SQLite, in a process of its own (the rest of
the suite runs on PostgreSQL)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_on_sqlite(script, tmp_path, **settings):
    """The finished process of `script`, run on a new SQLite database under `tmp_path`,
    with the environment's `settings` added."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
           "ENV_FILE": os.devnull, "DEBUG": "true", "SECRET_KEY": "quick-start-test",
           "CELERY_BROKER_URL": "memory://", "DJANGO_SETTINGS_MODULE": "mentorship.settings",
           **settings}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)

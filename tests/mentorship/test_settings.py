"""Production refuses unsafe settings; every response carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
            and not k.startswith("SECURE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base.update({"ENV_FILE": os.devnull, "DJANGO_SETTINGS_MODULE": "mentorship.settings",
                 **env})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


PRODUCTION = {"DEBUG": "false", "ALLOWED_HOSTS": "mentoring.example.org",
              "SECRET_KEY": "k7#Qz!pL2v@Xr9$Wm4^Tn8&Yb3*Hc6(Jd1)Fg5_Se0+Ua7=Oi2-Ke9",
              "SITE_URL": "https://mentoring.example.org"}


def test_deploy_check_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_debug_from_a_stray_env_file(tmp_path):
    # `make run` wrote this file; the server's environment names its real host.
    stray = tmp_path / ".env"
    stray.write_text("DEBUG=true\nSECRET_KEY=development-only\n")
    production = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}

    result = manage("check", ENV_FILE=str(stray), **production)

    assert result.returncode != 0
    assert "DEBUG is on while ALLOWED_HOSTS names mentoring.example.org" in result.stderr
    assert f"(DEBUG is set in {stray})" in result.stderr


def test_debug_is_refused_for_a_real_host_from_the_environment_too():
    result = manage("check", **{**PRODUCTION, "DEBUG": "true"})

    assert result.returncode != 0
    assert "DEBUG is on while ALLOWED_HOSTS names mentoring.example.org." in result.stderr


def test_development_with_debug_on_this_machine_still_starts(tmp_path):
    # What `make run` does: DEBUG from .env, the default (local) hosts.
    dot_env = tmp_path / ".env"
    dot_env.write_text("DEBUG=true\nSECRET_KEY=development-only\n")

    result = manage("check", ENV_FILE=str(dot_env))

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_emails_that_would_link_to_this_machine():
    result = manage("check", "--deploy", **{**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000"})

    assert result.returncode != 0
    assert "mentorship.E001" in result.stderr


def test_security_headers_are_on_every_page(client, db):
    response = client.get("/accounts/login/")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_migrations_are_committed():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/healthz"])
def test_every_kind_of_response_carries_the_security_headers(client, db, path):
    response = client.get(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if path != "/healthz":  # JSON for load balancers; nothing to frame or script
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_ticking_task_in_the_beat_schedule_exists():
    from django.conf import settings

    from mentorship.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_a_stale_form_gets_a_friendly_page(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.teacher)

    response = client.post("/profile/", {})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_person_switching_language_keeps_it(client, people):
    client.force_login(people.teacher)

    response = client.post("/language/", {"language": "es", "next": "/"})

    assert response.status_code == 302
    people.teacher.refresh_from_db()
    assert people.teacher.preferred_language == "es"
    assert 'lang="es"' in client.get("/").content.decode()

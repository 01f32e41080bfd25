import pytest
from django.db import OperationalError, connection

from mentorship.celery import app


def test_healthz_answers_200_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_is_down(client, db, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok"}


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_load_balancer_probing_by_ip_over_http_gets_an_answer(client, db, settings, method):
    settings.ALLOWED_HOSTS = ["mentoring.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    response = getattr(client, method)("/healthz", HTTP_HOST="10.0.0.5")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_healthz_accepts_only_reads(client, db):
    assert client.post("/healthz").status_code == 405

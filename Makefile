# Two commands do everything on a fresh machine: `make run` and `make test`.
# Needs: python3.11, npm (Node.js), and for `make test` PostgreSQL and Redis.

PYTHON ?= python3.11
UV_VERSION := 0.13.8
UV := .tools/bin/uv
MANAGE := .venv/bin/python manage.py
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: run test install install-dev assets lint clean messages bench

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --no-dev --python $(PYTHON)

install-dev: $(UV)
	$(UV) sync --frozen --python $(PYTHON)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

assets: node_modules/.package-lock.json

# Development settings: debug on and a secret made for this checkout only.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env with development settings."

# Web server, Celery worker and beat together; Ctrl-C stops all three.
run: install assets .env
	mkdir -p var/celery/queue
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/honcho start --port 8000

# The suite runs in parallel, one PostgreSQL database and Redis number per process.
PYTEST_ARGS ?= --numprocesses=auto --maxprocesses=4

test: install-dev assets .env
	.venv/bin/ruff check .
	.venv/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	.venv/bin/ruff check .

# Measured runs on generated data (not tests): each prints what it measured. Needs
# PostgreSQL (DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432); makes
# and drops its own database. One benchmark: make bench BENCH=roster_import
bench: install-dev
	.venv/bin/python -m benchmarks $(BENCH)

# After adding or changing user-facing strings: update the Spanish catalogue, translate the
# new entries in locale/es/LC_MESSAGES/django.po, then run this again to compile it.
# Needs GNU gettext (apt-get install gettext). Commit both django.po and django.mo.
messages: install-dev
	DEBUG=true $(MANAGE) makemessages -l es --ignore=.venv --ignore=node_modules --ignore=var --ignore=.tools --ignore=tests
	DEBUG=true $(MANAGE) compilemessages -l es --ignore=.venv

clean:
	rm -rf .venv .tools node_modules var .pytest_cache

# The registry's two everyday commands: `make run` and `make test`. Both set up what is
# missing first (system packages, .venv, database + PostGIS, translations); a second run
# only checks. Variables: PORT (default 8000), DATABASE_URL, PYTHON (default python3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup system database migrate demo messages bench bench-env fuzz load check-deploy clean

# A job-queue worker (imports, reminders; docs/jobs.md) runs beside the web server and stops with it.
run: setup migrate demo
	@$(MANAGE) procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: setup
	BROWSER=1 scripts/install-system-packages.sh
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache  # the layers (.importlinter, docs/architecture.md)
	$(VENV)/bin/pytest --create-db -n auto --dist loadfile  # one worker per core, a module stays on one worker

setup: system $(VENV)/.installed database messages

system:
	@scripts/install-system-packages.sh

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

database: $(VENV)/.installed
	@$(PY) scripts/ensure_database.py

messages: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $<

migrate: setup
	$(MANAGE) migrate --no-input -v 0

demo: migrate
	$(MANAGE) load_demo --if-empty
	$(MANAGE) demo_admin

bench: setup migrate bench-env
	$(PY) bench/run.py

# The tile benchmark's peer, tipg, in an environment of its own (bench/tile_peers.py).
bench-env: .venv-bench/bin/uvicorn
.venv-bench/bin/uvicorn: requirements-bench.txt
	python3 -m venv .venv-bench
	.venv-bench/bin/pip install -r requirements-bench.txt
	touch $@

# API fuzzing (schemathesis against a live server) and the load test (gunicorn, production
# settings, loopback only); each rewrites its own section of docs/benchmarks.md.
fuzz: setup migrate
	$(PY) bench/run.py fuzz

load: setup migrate
	$(PY) bench/run.py load

# A production configuration must pass Django's deployment checks with no warnings.
check-deploy: setup
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=registry.example.org \
		$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

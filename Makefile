# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
UV = $(shell ./scripts/ensure-uv.sh)
RUN_ENV = DEBUG=true DEMO_MODE=true
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install migrate demo test test-fast test-browser lint format frontend worker beat check-deploy bench

install:
	$(UV) sync --locked

migrate: install
	$(RUN_ENV) $(UV) run python manage.py migrate --no-input

demo: migrate
	$(RUN_ENV) $(UV) run python manage.py seed_demo
	$(RUN_ENV) $(UV) run python manage.py seed_demo_dashboards

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (press Ctrl+C to stop)"
	$(RUN_ENV) $(UV) run python manage.py runserver $(HOST):$(PORT)

test: install
	$(UV) run pytest

test-fast: install
	$(UV) run pytest -m "not browser"

test-browser: install
	$(UV) run pytest -m browser

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: install
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

frontend:
	./scripts/refresh-frontend.sh

worker: install
	$(UV) run celery -A config worker --loglevel=info

beat: install
	$(UV) run celery -A config beat --loglevel=info

check-deploy: install
	SECRET_KEY=check-deploy-$$RANDOM-a-long-random-production-like-secret-key-value-0123456789 \
	ALLOWED_HOSTS=scopeforgrowth.example.nhs.uk EMAIL_HOST=smtp.example.nhs.uk $(UV) run python manage.py check --deploy --fail-level WARNING

# Dashboard benchmark at a chosen scale: `make bench STAFF=1500000 DATABASE_URL=postgres://...`.
# It replaces any synthetic data in that database, so point it at a database kept for benchmarks.
# Production settings (DEBUG off), so timings include no debug overhead.
STAFF ?= 20000
BENCH_ENV = SECRET_KEY=benchmark-$$RANDOM-not-a-production-secret-0123456789abcdefghijklmnop \
	ALLOWED_HOSTS=testserver STATIC_MANIFEST=false
bench: install
	$(BENCH_ENV) $(UV) run python manage.py migrate --no-input
	$(BENCH_ENV) $(UV) run python manage.py generate_synthetic_data --staff $(STAFF) --replace
	$(BENCH_ENV) $(UV) run python manage.py refresh_dashboards
	$(BENCH_ENV) $(UV) run python manage.py benchmark_dashboards --write

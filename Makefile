# Tsunagu — the two commands on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PORT ?= 8000
export UV_LINK_MODE ?= copy

.PHONY: run test check lint typecheck imports browser-test messages demo bench uv sync guard-model

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

sync: uv
	@$(UV) sync --frozen --quiet

# Serve Tsunagu on http://127.0.0.1:$(PORT) with demo data, on SQLite under var/.
run: sync
	@mkdir -p var
	@$(UV) run --frozen tsunagu migrate --noinput -v 0
	@[ -f var/.demo-loaded ] || ($(UV) run --frozen tsunagu demo && touch var/.demo-loaded)
	@PORT=$(PORT) $(UV) run --frozen tsunagu run

# The whole suite on SQLite, browser tests excluded (they run in .ci/run and `make browser-test`).
test: sync
	@$(UV) run --frozen pytest -m "not browser" -n 2 -q

browser-test: sync
	@$(UV) run --frozen pytest -m browser -q

lint: sync
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .

typecheck: sync
	@$(UV) run --frozen mypy tsunagu tests bench

# The import contracts in pyproject.toml ([tool.importlinter]): engines free of Django, core free of
# the domain apps, the apps in their declared layers.
imports: sync
	@$(UV) run --frozen lint-imports --no-cache --no-logo

check: lint typecheck imports
	@$(UV) run --frozen python manage.py makemigrations --check --dry-run

messages: sync
	@for app in tsunagu/*/; do if [ -d "$$app/locale" ]; then (cd $$app && $(UV) run --frozen django-admin makemessages -l ja -l en --no-obsolete >/dev/null && $(UV) run --frozen django-admin compilemessages >/dev/null); fi; done

bench: sync
	@$(UV) run --frozen python -m bench $(BENCH)

# Fit the contact guard's solicitation model again after the labelled cases changed.
guard-model: sync
	@$(UV) run --frozen python -m tests.guard.train

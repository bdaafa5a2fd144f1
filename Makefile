# Tsunagu — the two commands on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PORT ?= 8000
export UV_LINK_MODE ?= copy

.PHONY: run test check lint typecheck imports browser-test messages demo bench uv sync fonts guard-model screenshots

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

sync: uv
	@$(UV) sync --frozen --quiet

# The Japanese font the PDF papers embed (tsunagu/billing): Debian's fonts-noto-cjk, installed
# when missing and the machine lets us (root or password-less sudo); otherwise say how.
PDF_FONT ?= /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
fonts:
	@[ -f "$(PDF_FONT)" ] || { \
	  echo "Installing Debian's fonts-noto-cjk for the PDF papers..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  { $$SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 \
	    || { $$SUDO apt-get update -qq >/dev/null 2>&1 && $$SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1; }; } \
	  || echo "Could not install fonts-noto-cjk: run 'apt-get install fonts-noto-cjk' (PDF papers need it)"; }

# Serve Tsunagu on http://127.0.0.1:$(PORT) with demo data, on SQLite under var/.
run: sync fonts
	@mkdir -p var
	@$(UV) run --frozen tsunagu migrate --noinput -v 0
	@[ -f var/.demo-loaded ] || ($(UV) run --frozen tsunagu demo && touch var/.demo-loaded)
	@PORT=$(PORT) $(UV) run --frozen tsunagu run

# The whole suite on SQLite, browser tests excluded (they run in .ci/run and `make browser-test`).
test: sync fonts
	@$(UV) run --frozen pytest -m "not browser" -n 2 -q

browser-test: sync
	@$(UV) run --frozen pytest -m browser -q

# The browser tests, writing the README's pictures in docs/screenshots/ (an ordinary run leaves them).
screenshots: sync
	@TSUNAGU_SCREENSHOTS=1 $(UV) run --frozen pytest -m browser -q

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

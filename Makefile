# The one entry point. `make demo` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
STAMP := $(VENV)/.installed
VENDOR := static/vendor

.PHONY: install assets system-deps demo demo-data serve worker test test-fast lint fuzz bench compose-check messages clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) assets

# Front-end libraries from npm (lock file), copied into static/vendor: no CDN.
$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons/fonts $(VENDOR)/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/* $(VENDOR)/bootstrap-icons/fonts/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $(VENDOR)/.stamp

assets: $(VENDOR)/.stamp

# Debian packages the suite needs: gettext (messages), poppler-utils (PDF text in tests),
# fonts for WeasyPrint, Chromium for the browser tests. Skipped when already there.
system-deps:
	@missing=""; \
	for pkg in gettext poppler-utils fonts-noto-core fonts-dejavu-core chromium; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null

demo: install
	mkdir -p var/celery/queue var/celery/processed var/celery/control  # the filesystem broker needs its folders
	DJANGO_SETTINGS_MODULE=cai.settings.dev $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=cai.settings.dev $(MANAGE) load_demo
	@echo "Serveur : http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	DJANGO_SETTINGS_MODULE=cai.settings.dev $(BIN)/celery -A cai worker -B --loglevel=warning --concurrency=1 --pool=solo & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DJANGO_SETTINGS_MODULE=cai.settings.dev $(MANAGE) runserver 127.0.0.1:8000

test: install system-deps
	mkdir -p var/staticfiles
	DJANGO_SETTINGS_MODULE=cai.settings.test $(MANAGE) makemigrations --check --dry-run >/dev/null || (echo "Migrations manquantes : lancez makemigrations." && exit 1)
	$(BIN)/pytest -q $(PYTEST_ARGS)

# schemathesis against the OpenAPI schema as each role (tests/cai/test_api_fuzz.py), with the issue's
# budget: 100 generated cases per operation and role (writes included). The suite (make test) runs the
# same module with a smaller budget. CAI_FUZZ_RANDOM=1 draws new cases on each run.
FUZZ_EXAMPLES ?= 100
FUZZ_WRITE_EXAMPLES ?= 100
fuzz: install
	CAI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CAI_FUZZ_WRITE_EXAMPLES=$(FUZZ_WRITE_EXAMPLES) \
	  $(BIN)/pytest -q -p no:logging tests/cai/test_api_fuzz.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(PYTHON) bench/run_all.py

compose-check: $(STAMP)
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

clean:
	rm -rf var $(VENDOR) node_modules

# Two commands on a fresh machine:  `make run`  and  `make test`.
# Both create .venv with Python >= 3.12 (scripts/find_python.sh) and install what they need.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
export SOLARA_TELEMETRY_MIXPANEL_ENABLE = false

.PHONY: run test setup setup-test assets chromium app bench clean

$(PY):
	@python=$$(bash scripts/find_python.sh) || exit 1; \
	echo "creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Installed-stamps are keyed on pyproject.toml, so an unchanged venv is not reinstalled.
$(VENV)/.core: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.test: pyproject.toml | $(PY)
	$(PIP) install -q -e ".[test]"
	@touch $@ $(VENV)/.core

setup: $(VENV)/.core

setup-test: $(VENV)/.test assets chromium

# Solara's JavaScript and CSS, served locally so the app renders with no internet (npm registry, install time only).
assets: $(VENV)/.test
	$(PY) scripts/fetch_solara_assets.py

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then echo "chromium: $${CHROMIUM:-/usr/bin/chromium}"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "error: the browser tests need Debian's chromium: apt-get install chromium (as root)" >&2; exit 1; fi

# The main job: the default scenario, a printed summary, results and figures under results/.
run: setup
	$(PY) -m cohesion_sim run --out results

# The whole suite: unit, scenario, CLI, calibration, engine, sweep, app (browser) and notebook tests.
test: setup-test
	$(PY) -m pytest -q --nbmake --nbmake-timeout=300 tests notebooks

app: setup-test
	$(PY) -m cohesion_sim app

bench: setup-test
	$(PY) benchmarks/bench_run.py

clean:
	rm -rf $(VENV) results .pytest_cache

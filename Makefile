# Two commands on a fresh machine:  `make run`  and  `make test`.
# Both create .venv with Python >= 3.12 (scripts/find_python.sh) and install what they need:
# `make run` the package with every user extra (app, sweeps, Dask, notebooks: ".[all]"),
# `make test` adds the test tools, Debian's chromium and the app's offline assets.
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
$(VENV)/.user: pyproject.toml | $(PY)
	$(PIP) install -q -e ".[all]"
	@touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.user | $(PY)
	$(PIP) install -q -e ".[test]"
	@touch $@

setup: $(VENV)/.user

setup-test: $(VENV)/.test assets chromium

# Solara's JavaScript and CSS, served locally so the app renders with no internet (npm registry, install time only).
assets: $(VENV)/.user
	$(PY) -m cohesion_sim fetch-assets

# Debian's chromium for the browser tests only (Playwright cannot download browsers here); the app needs no browser.
chromium:
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then echo "chromium: $${CHROMIUM:-/usr/bin/chromium}"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "error: the browser tests need Debian's chromium: apt-get install chromium (as root)" >&2; exit 1; fi

# The main job: the default scenario, a printed summary, results and figures under results/.
# --force: `make run` owns results/ and replaces its previous results there (cohesion-sim run alone refuses).
run: setup
	$(PY) -m cohesion_sim run --out results --force

# The whole suite: unit, scenario, CLI, calibration, engine, sweep, app (browser) and notebook tests.
test: setup-test
	$(PY) -m pytest -q --nbmake --nbmake-timeout=300 tests notebooks

# The classroom app on http://127.0.0.1:8765 (offline assets fetched once; no browser is installed).
app: setup assets
	$(PY) -m cohesion_sim app

bench: setup
	$(PY) benchmarks/bench_run.py

clean:
	rm -rf $(VENV) results .pytest_cache

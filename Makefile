# anova-mqtt-bridge — developer entry points. `make demo` and `make test` do all set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HA_VENV ?= $(HOME)/.cache/anova-mqtt-bridge/ha-venv
AW_VENV ?= $(HOME)/.cache/anova-mqtt-bridge/anova-wifi-venv
HA_CHROOT ?= $(HOME)/.cache/anova-mqtt-bridge/ha-chroot

.PHONY: demo test quick lint format test-ha bench soak mosquitto anova-wifi-venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,demo]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP) ## run the bridge against the simulator and an embedded broker
	$(BIN)/anova-mqtt-bridge demo

mosquitto: ## make sure a mosquitto binary exists (installs Debian's package when root)
	@bash scripts/ensure-mosquitto.sh

anova-wifi-venv: ## Home Assistant's anova-wifi in a test-only venv (cached outside the repo)
	@ANOVA_WIFI_VENV=$(AW_VENV) bash scripts/ensure-anova-wifi-venv.sh

# One mypy run: --strict for the package; tests/ get the relaxed profile of
# [[tool.mypy.overrides]] in pyproject.toml (per-module options win over --strict).
lint: $(STAMP)
	$(BIN)/ruff check bridge tests bench
	$(BIN)/ruff format --check bridge tests bench
	$(BIN)/mypy --strict bridge tests bench

format: $(STAMP)
	$(BIN)/ruff format bridge tests bench
	$(BIN)/ruff check --fix bridge tests bench

# The quick part runs on four workers with coverage (its floor is
# [tool.coverage.report] fail_under); the slow part (floods, fuzzing, broker
# crashes) measures timing and memory, so it runs alone afterwards.
QUICK_PART := -m "not ha and not slow" -q -n 4 --cov=bridge --cov-report=term:skip-covered
SLOW_PART  := -m "slow and not ha" -q

quick: $(STAMP) mosquitto anova-wifi-venv ## the quick part only (parallel, with coverage)
	ANOVA_WIFI_VENV=$(AW_VENV) $(BIN)/python -m pytest $(QUICK_PART)

test: $(STAMP) mosquitto anova-wifi-venv lint ## lint, type-check and the whole suite but real HA
	ANOVA_WIFI_VENV=$(AW_VENV) $(BIN)/python -m pytest $(QUICK_PART)
	ANOVA_WIFI_VENV=$(AW_VENV) $(BIN)/python -m pytest $(SLOW_PART)

test-ha: $(STAMP) mosquitto ## end-to-end with real Home Assistant Cores: oldest (venv) and newest (chroot, root)
	HA_VENV=$(HA_VENV) bash scripts/ensure-ha-venv.sh
	HA_CHROOT=$(HA_CHROOT) bash scripts/ensure-ha-chroot.sh
	HA_VENV=$(HA_VENV) HA_CHROOT=$(HA_CHROOT) $(BIN)/python -m pytest -m ha -q -p no:cacheprovider

bench: $(STAMP) mosquitto
	$(BIN)/python -m bench.run_all

soak: $(STAMP) mosquitto
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist

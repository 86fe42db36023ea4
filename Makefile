# First commands: `make run` starts the watch-folder service on inbox/ and outbox/; `make test` runs the tests.
# Both set up first: a .venv with `pip install -e .[test]`, and LibreOffice, poppler and Thai fonts through
# apt-get when it is there and we are root or have sudo. Stamp files make a rerun skip what is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-thai-tlwg python3-uno

.PHONY: run test setup

run: setup
	$(BIN)/itadoc watch --inbox inbox --outbox outbox

test: setup
	$(BIN)/python -m pytest -q

setup: $(VENV)/.installed $(VENV)/.system-packages

# --system-site-packages: python3-uno (LibreOffice's Python bridge) comes from apt, not from PyPI.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --system-site-packages $(VENV)
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

$(VENV)/.system-packages:
	@mkdir -p $(VENV); \
	if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then touch $@; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "no apt-get: install $(APT_PACKAGES) by hand for PDF"; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "not root and no sudo: skipping $(APT_PACKAGES) (PDF needs them)"; exit 0; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) \
	    && touch $@ || echo "apt-get failed: continuing without $(APT_PACKAGES); rerun make to retry"; \
	fi

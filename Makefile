# First commands: `make run` starts the watch-folder service on inbox/ and outbox/; `make test` runs the tests.
# Both set up first: a .venv with `pip install -e .[test]`, and LibreOffice, poppler and Thai fonts through
# apt-get when it is there and we are root or have sudo (and, for the tests only, Debian's chromium).
# Stamp files make a rerun skip what is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-thai-tlwg python3-uno
TEST_APT_PACKAGES := chromium

.PHONY: run test setup

run: setup
	$(BIN)/itadoc watch --inbox inbox --outbox outbox

test: setup $(VENV)/.test-packages
	$(BIN)/python -m pytest -q

setup: $(VENV)/.installed $(VENV)/.system-packages

# --system-site-packages: python3-uno (LibreOffice's Python bridge) comes from apt, not from PyPI.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --system-site-packages $(VENV)
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

# $(call apt_install,PACKAGES,STAMP): install Debian packages once (root or sudo), then touch STAMP.
define apt_install
	@mkdir -p $(VENV); \
	if dpkg -s $(1) >/dev/null 2>&1; then touch $(2); \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "no apt-get: install $(1) by hand"; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "not root and no sudo: skipping $(1)"; exit 0; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1) \
	    && touch $(2) || echo "apt-get failed: continuing without $(1); rerun make to retry"; \
	fi
endef

$(VENV)/.system-packages:
	$(call apt_install,$(APT_PACKAGES),$@)

# Only the tests need a browser (the web page's screenshot and link tests); `make run` does not.
$(VENV)/.test-packages:
	$(call apt_install,$(TEST_APT_PACKAGES),$@)

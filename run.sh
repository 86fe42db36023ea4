#!/usr/bin/env bash
# The README's two commands on a fresh Debian/Ubuntu machine:
#   ./run.sh        set everything up, then run the service on inbox/ → outbox/   (= make run)
#   ./run.sh test   set everything up, then run the tests                          (= make test)
# It only adds what `make` itself needs (make, python3-venv); the Makefile does the rest.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v make >/dev/null 2>&1 || need+=(make)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
exec make "${1:-run}"

#!/usr/bin/env bash
# Chromium for the browser tests (tests/test_html.py, tests/test_report.py): the Debian
# package "chromium", installed only where no Chromium is found. Safe to run again.
# Never fails CI: where apt-get is missing or cannot install, it says why and exits 0;
# the browser tests then skip with that reason.
set -u

for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "chromium.sh: $name is installed ($(command -v "$name"))"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium.sh: no apt-get on this machine: Chromium not installed, the browser tests will skip"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    echo "chromium.sh: not root and no password-less sudo: Chromium not installed, the browser tests will skip"
    exit 0
  fi
fi

if ${as_root[@]+"${as_root[@]}"} apt-get update -qq \
  && ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
  echo "chromium.sh: installed $(chromium --version 2>/dev/null || echo chromium)"
else
  echo "chromium.sh: apt-get could not install chromium (no network or no package list?): the browser tests will skip"
fi
exit 0

#!/usr/bin/env bash
# Installs schemathesis (from PyPI) for the API fuzzing step when it is missing.
set -euo pipefail
if command -v schemathesis >/dev/null 2>&1; then exit 0; fi
python3 -m pip install --quiet "schemathesis>=4,<5"

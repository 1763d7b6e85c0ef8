#!/usr/bin/env bash
# Installs what the fake platform servers the tests start need: graphql-core, with which the
# fake Shopify validates every query against Shopify's published Admin API schema.
set -euo pipefail
if python3 -c "import graphql" >/dev/null 2>&1; then exit 0; fi
python3 -m pip install --quiet "graphql-core>=3.2,<3.3"

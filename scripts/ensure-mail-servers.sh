#!/usr/bin/env bash
# Installs what the email tests run against when it is missing: aiosmtpd (a real SMTP
# server, from PyPI) and openssl (the tests' own certificates).
set -euo pipefail
if ! command -v openssl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq openssl >/dev/null
fi
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  python3 -m pip install --quiet "aiosmtpd>=1.4,<2"
fi

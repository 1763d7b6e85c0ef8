#!/usr/bin/env bash
# Installs what the email tests run against when it is missing: Dovecot (a real IMAP
# server, Debian's dovecot-imapd), aiosmtpd (a real SMTP server, from PyPI) and openssl
# (the tests' own certificates).
set -euo pipefail
missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-imapd)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The package starts a system-wide Dovecot on ports 143 and 993; the tests start their own.
if command -v systemctl >/dev/null 2>&1; then systemctl stop dovecot >/dev/null 2>&1 || true; fi
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  python3 -m pip install --quiet "aiosmtpd>=1.4,<2"
fi

#!/usr/bin/env bash
# Installs what the browser suite drives, from Debian's packages, when it is missing:
# Chromium, its WebDriver, Python's selenium and Japanese fonts for the screenshots.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && /usr/bin/python3 -c "import selenium" 2>/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver python3-selenium fonts-noto-cjk >/dev/null

#!/usr/bin/env bash
# The test command: installs the pinned Azurite (the Table Storage emulator the contract tests start on
# loopback) from tests/azurite/package-lock.json and the pinned playwright-core (which drives Debian's chromium
# through the moderator dashboard) from tests/browser/package-lock.json, installs chromium with apt when
# /usr/bin/chromium is missing, then runs every test. Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --prefix tests/azurite --no-audit --no-fund --loglevel=error
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
dotnet test Relay.sln "$@"

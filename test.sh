#!/usr/bin/env bash
# The test command: installs the pinned Azurite (the Table Storage emulator the contract tests start on
# loopback) from tests/azurite/package-lock.json, then runs every test. Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --prefix tests/azurite --no-audit --no-fund --loglevel=error
dotnet test Relay.sln "$@"

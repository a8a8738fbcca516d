#!/usr/bin/env bash
# Installs node_modules from the lockfile when missing or older than the lockfile.
# `npm ci` is tried first. It refuses a lockfile that lacks entries for other platforms' optional
# packages (rollup's native builds, pulled in by vite-plugin-pwa's workbox-build), and the registry
# this project installs from does not serve those packages, so the lockfile cannot list them; then
# `npm install` installs the same locked versions (it leaves the lockfile as it is).
set -euo pipefail
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || npm install --no-audit --no-fund
fi

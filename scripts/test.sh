#!/usr/bin/env bash
# `npm test`: the whole suite from a fresh machine: system and node dependencies, typecheck, unit and
# differential tests (against a real redis-server 7.0), the production build, and browser tests.
set -uo pipefail
cd "$(dirname "$0")/.."
set -e
bash scripts/ensure-system-deps.sh
bash scripts/ensure-node-deps.sh
mkdir -p test-reports
npm run typecheck
set +e
status=0
./node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=test-reports/vitest.json || status=1
npm run build || status=1
./node_modules/.bin/playwright test || status=1
./node_modules/.bin/tsx scripts/command-coverage.ts --summary || status=1
node scripts/test-summary.mjs test-reports/vitest.json test-reports/e2e.json || status=1
exit $status

#!/usr/bin/env bash
# `npm start`: installs what the app needs, builds it, and serves it on http://127.0.0.1:4173
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
npm run build
echo "Rediscope: open http://127.0.0.1:4173"
exec ./node_modules/.bin/vite preview --host 127.0.0.1 --port 4173 --strictPort

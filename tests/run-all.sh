#!/usr/bin/env bash
# `npm test`: lint, check the layer arrows, type-check every layer, run the unit and integration suites (vitest), build the
# renderer, run the end-to-end suites (Playwright: browser mode in Debian Chromium, and the
# Electron app where a binary exists), then print one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
failed_steps=()
source tests/ensure-test-services.sh

step() { echo; echo "== $1"; }

# Lint and type-check each use one core: they run side by side, each printing when it is done.
typecheck() {
  local status=0
  for project in tsconfig.json shared/tsconfig.json renderer/tsconfig.json renderer/tsconfig.node.json tests/renderer/tsconfig.json; do
    npx tsc -p "$project" || { echo "type errors in $project"; status=1; }
  done
  return "$status"
}
npm run --silent lint >test-results/lint.log 2>&1 &
lint_pid=$!
typecheck >test-results/typecheck.log 2>&1 &
typecheck_pid=$!

step "lint (typescript-eslint) and layer rules (dependency-cruiser)"
wait "$lint_pid" || failed_steps+=("lint")
cat test-results/lint.log

step "type-check (node layers, shared without Node/DOM, renderer without Node)"
wait "$typecheck_pid" || failed_steps+=("typecheck")
cat test-results/typecheck.log

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || failed_steps+=("vitest")

step "build renderer and Electron bundles"
npm run --silent build || failed_steps+=("build")

step "end-to-end tests (Playwright)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/test-results/playwright.json" \
  npx playwright test --config tests/e2e/playwright.config.ts --reporter=list,json || failed_steps+=("playwright")

node tests/summarize-results.mjs test-results/vitest.json test-results/playwright.json "${failed_steps[@]}"

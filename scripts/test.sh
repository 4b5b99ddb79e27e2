#!/usr/bin/env bash
# Installs what the tests need that is missing (scripts/packages.sh test: libz3-dev, a C
# and C++ compiler, graphviz, Chromium), then runs every test: formatting, lints, the unit/integration/property/snapshot tests,
# the fuzz targets in their short mode, and the external conformance suite when it
# is present, with the shipped policies' quotations checked against the founding
# reports beside it.
#
#   scripts/test.sh [CONFORMANCE_DIR]
#
# CONFORMANCE_DIR defaults to ../shared/conformance. Under CI it must exist.
set -euo pipefail
cd "$(dirname "$0")/.."

conformance="${1:-../shared/conformance}"

echo "== packages the tests need (scripts/packages.sh test)"
scripts/packages.sh test

echo "== cargo fmt --check"
cargo fmt --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings

echo "== cargo test"
cargo test --locked

echo "== fuzzing, short mode: each target for ${FUZZ_SECONDS:-12}s (scripts/fuzz.sh)"
scripts/fuzz.sh short

if [ -d "$conformance" ]; then
    echo "== conformance suite: $conformance"
    scripts/conformance.sh "$conformance"
    seeds="$conformance/../seeds"
    if [ -d "$seeds" ]; then
        echo "== every quotation and pinpoint of the shipped policies, against the founding reports in $seeds"
        ./target/release/flowproof check --evidence "$seeds" --require-evidence policies/
    elif [ "${CI:-}" = "true" ]; then
        echo "founding reports not found at $seeds" >&2
        exit 1
    else
        echo "== founding reports not found at $seeds: quotations not checked"
    fi
elif [ "${CI:-}" = "true" ]; then
    echo "conformance suite not found at $conformance" >&2
    exit 1
else
    echo "== conformance suite not found at $conformance: skipped"
fi

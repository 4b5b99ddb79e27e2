#!/usr/bin/env bash
# Installs what running flowproof needs that a fresh Debian/Ubuntu machine lacks (the Z3
# solver library, and a C compiler for the linker; see scripts/packages.sh), builds
# flowproof, and runs it on the shipped policies. What the tests need besides,
# scripts/test.sh installs itself.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
    echo "flowproof needs Rust (cargo): see https://rustup.rs" >&2
    exit 2
fi

scripts/packages.sh run

cargo build --release --locked

# 0: every claim proved; 1: some claim refuted; 3: some claim undecided.
# All three are results; only 2 (an error in a policy file or in the command) fails.
status=0
./target/release/flowproof verify policies/ || status=$?
if [ "$status" -eq 2 ]; then
    echo "flowproof found errors in the shipped policies" >&2
    exit 2
fi
echo "quick start done: the verdicts above are flowproof's answers (exit status $status)"

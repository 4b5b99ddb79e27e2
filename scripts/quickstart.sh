#!/usr/bin/env bash
# Installs what flowproof needs that a fresh Debian/Ubuntu machine lacks (the Z3
# solver library), builds flowproof, and runs it on the shipped policies.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
    echo "flowproof needs Rust (cargo): see https://rustup.rs" >&2
    exit 2
fi

if ! dpkg -s libz3-dev >/dev/null 2>&1; then
    echo "installing libz3-dev (the Z3 solver library) with apt-get"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    $sudo apt-get install -y libz3-dev
fi

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

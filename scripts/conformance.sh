#!/usr/bin/env bash
# Checks every `.flow` file of an external conformance directory against the
# `// expect ...` lines in its header, end to end, with both engines.
#
#   scripts/conformance.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${1:?usage: scripts/conformance.sh DIR}"
cargo build --release --locked --quiet --bin flowproof --example conformance
./target/release/examples/conformance "$dir" --bin ./target/release/flowproof

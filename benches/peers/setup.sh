#!/usr/bin/env bash
# Creates benches/peers/.venv with the pinned solvers of requirements.txt, unless it
# is already there and complete. Quiet on success; exits non-zero with a message on
# failure. PYTHON selects the interpreter (default: python3, 3.9 or newer).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.installed"
python="${PYTHON:-python3}"

fail() { echo "benches/peers/setup.sh: $*" >&2; exit 1; }

# up to date: the venv works, imports both solvers, and was made from this requirements.txt
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp" \
    && "$venv/bin/python" -c 'import clingo, z3' >/dev/null 2>&1; then
    exit 0
fi

command -v "$python" >/dev/null 2>&1 || fail "no '$python' on PATH (set PYTHON to a Python 3.9+ interpreter)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || fail "$python is older than Python 3.9"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" >/dev/null 2>&1 \
        || fail "could not create the virtual environment $venv (is the venv module installed? e.g. apt-get install python3-venv)"
fi
log="$(mktemp)"
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "pip could not install $req into $venv (is PyPI reachable?)"
fi
rm -f "$log"
"$venv/bin/python" -c 'import clingo, z3' >/dev/null 2>&1 \
    || fail "clingo or z3 does not import in $venv after installing"
cp "$req" "$stamp"

#!/usr/bin/env bash
# Installs what flowproof and its tests need that a fresh Debian/Ubuntu machine lacks
# (the Z3 solver library; Chromium, which the tests use to open the HTML report; a C++
# compiler, which the fuzz targets need to build libFuzzer),
# builds flowproof, and runs it on the shipped policies.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
    echo "flowproof needs Rust (cargo): see https://rustup.rs" >&2
    exit 2
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=""
dpkg -s libz3-dev >/dev/null 2>&1 || missing="libz3-dev"
command -v c++ >/dev/null 2>&1 || missing="$missing g++"
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
browser=yes
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || browser=no
if [ -n "$missing" ] || [ "$browser" = no ]; then
    $sudo apt-get update
    if [ "$browser" = no ]; then
        # Debian names the package chromium, Ubuntu chromium-browser
        if apt-cache show chromium >/dev/null 2>&1; then
            missing="$missing chromium"
        else
            missing="$missing chromium-browser"
        fi
    fi
    echo "installing$missing with apt-get (libz3-dev: the Z3 solver library; chromium: the report tests open the HTML page in it; g++: the fuzz targets build libFuzzer; graphviz: the report lays out graphs with dot, and a test compares layouts with it)"
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
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

#!/usr/bin/env bash
# Installs, with apt-get, the Debian/Ubuntu packages a purpose needs that are missing.
#
#   scripts/packages.sh run     # what building and running flowproof needs
#   scripts/packages.sh test    # and what the tests need besides
#
# run:  libz3-dev (the Z3 solver library flowproof links) and a C compiler (the Rust
#       linker calls `cc`).
# test: also g++ (the fuzz targets build libFuzzer), graphviz (a test compares the SVG
#       layout with the one of `dot`) and Chromium (the report tests open the HTML page).
set -euo pipefail

purpose="${1:-run}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=""
why=""
dpkg -s libz3-dev > /dev/null 2>&1 || { missing="libz3-dev"; why="$why libz3-dev: the Z3 solver library;"; }
command -v cc > /dev/null 2>&1 || { missing="$missing gcc"; why="$why gcc: the linker Rust calls;"; }
browser=yes
if [ "$purpose" = test ]; then
    command -v c++ > /dev/null 2>&1 || { missing="$missing g++"; why="$why g++: the fuzz targets build libFuzzer;"; }
    command -v dot > /dev/null 2>&1 || { missing="$missing graphviz"; why="$why graphviz: a test compares layouts with dot;"; }
    command -v chromium > /dev/null 2>&1 || command -v chromium-browser > /dev/null 2>&1 || browser=no
fi
if [ -z "$missing" ] && [ "$browser" = yes ]; then
    exit 0
fi
$sudo apt-get update
if [ "$browser" = no ]; then
    # Debian names the package chromium, Ubuntu chromium-browser
    if apt-cache show chromium > /dev/null 2>&1; then
        missing="$missing chromium"
    else
        missing="$missing chromium-browser"
    fi
    why="$why chromium: the report tests open the HTML page in it;"
fi
echo "installing$missing with apt-get ($why)"
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing

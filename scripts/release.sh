#!/usr/bin/env bash
# Builds a self-contained flowproof for Linux: Z3 linked into the binary (and the C++
# library with it), so it runs on a machine without libz3. Then checks the result:
# `ldd` must name no libz3, and the binary must verify the shipped policies with every
# libz3 on this machine out of reach.
#
#   scripts/release.sh            # writes target/dist/flowproof-<version>-<target>.tar.gz
#
# Z3 is built from the source Debian ships as 4.8.12 (the version the tests and the
# solver notes are measured with), fetched from Debian's archive and checked against a
# pinned SHA-256. The z3 crate's own vendored source (`--features static-z3`) needs a
# C++20 compiler with <format> (GCC 13, Clang 17, Xcode 15, MSVC 2019 16.10 or newer);
# Debian 12's GCC 12 has none, so on Debian 12 this script is the way. See
# docs/releasing.md for macOS and Windows.
#
# Needs: cmake (3.5 or newer), a C++ compiler, python3, curl, pkg-config and cargo.
# Building Z3 takes about half an hour on two cores; it is kept in target/z3-static
# and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

z3_version=4.8.12
z3_sha256=e3aaefde68b839299cbc988178529535e66048398f7d083b40c69fe0da55f8b7
z3_url="http://deb.debian.org/debian/pool/main/z/z3/z3_${z3_version}.orig.tar.gz"

work="$PWD/target/z3-static"
prefix="$work/install"
target_dir="$PWD/target/static"
dist="$PWD/target/dist"

for tool in cmake c++ python3 curl pkg-config cargo; do
    command -v "$tool" > /dev/null || {
        echo "release: \`$tool\` is needed; on Debian or Ubuntu:" >&2
        echo "  sudo apt-get install cmake g++ python3 curl pkg-config" >&2
        exit 2
    }
done

if [ ! -f "$prefix/lib/libz3.a" ]; then
    mkdir -p "$work"
    archive="$work/z3-$z3_version.tar.gz"
    [ -f "$archive" ] || curl -fsSL "$z3_url" -o "$archive"
    echo "$z3_sha256  $archive" | sha256sum --check --quiet
    rm -rf "$work/src" "$work/build"
    mkdir -p "$work/src"
    tar -xzf "$archive" -C "$work/src" --strip-components=1
    cmake -S "$work/src" -B "$work/build" \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_POLICY_VERSION_MINIMUM=3.5 \
        -DCMAKE_INSTALL_PREFIX="$prefix" \
        -DCMAKE_INSTALL_LIBDIR=lib \
        -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
        -DZ3_BUILD_LIBZ3_SHARED=OFF \
        -DZ3_BUILD_EXECUTABLE=OFF \
        -DZ3_BUILD_TEST_EXECUTABLES=OFF \
        -DZ3_ENABLE_EXAMPLE_TARGETS=OFF \
        -DZ3_BUILD_PYTHON_BINDINGS=OFF \
        -DZ3_BUILD_DOCUMENTATION=OFF
    cmake --build "$work/build" --parallel "$(nproc)"
    cmake --install "$work/build"
fi

# z3-sys finds Z3 with pkg-config: ours first, linked statically (Z3_STATIC), and the
# C++ library it needs linked statically too.
libstdcxx_dir="$(dirname "$(c++ -print-file-name=libstdc++.a)")"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" \
    Z3_STATIC=1 \
    CXXSTDLIB="static=stdc++" \
    RUSTFLAGS="-L native=$libstdcxx_dir" \
    cargo build --release --locked --target-dir "$target_dir"

binary="$target_dir/release/flowproof"
echo "== ldd $binary"
ldd "$binary" || true
if ldd "$binary" | grep -q 'libz3\|libstdc++'; then
    echo "release: the binary still loads libz3 or libstdc++ at run time" >&2
    exit 1
fi

# Run it where no libz3 can be found: a root holding only the binary, the policies and
# the C library it loads (the shared objects `ldd` names).
scripts/clean-root-check.sh "$binary"

version="$(cargo metadata --no-deps --format-version 1 --locked --offline |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["version"])')"
triple="$(rustc -vV | sed -n 's/^host: //p')"
name="flowproof-$version-$triple"
rm -rf "${dist:?}/$name"
mkdir -p "$dist/$name"
cp "$binary" README.md CHANGELOG.md "$dist/$name/"
cp -r policies "$dist/$name/"
tar -czf "$dist/$name.tar.gz" -C "$dist" "$name"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "== $dist/$name.tar.gz"
ls -l "$binary" "$dist/$name.tar.gz"

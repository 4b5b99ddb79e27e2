#!/usr/bin/env bash
# Runs a flowproof binary where nothing but the binary, the shipped policies and the
# shared objects the binary itself loads exist: a new root directory (chroot, so run as
# root) with no libz3, no compiler, no Graphviz. `verify` must give the shipped
# library's verdicts there, and `report` must write its page.
#
#   scripts/clean-root-check.sh target/static/release/flowproof
set -euo pipefail
binary="$(realpath "$1")"
cd "$(dirname "$0")/.."

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/out"
cp "$binary" "$root/bin/flowproof"
cp -r policies "$root/policies"
# every shared object the binary loads, at the path the loader looks for it
ldd "$binary" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
if find "$root" -name 'libz3*' | grep -q .; then
    echo "clean-root: libz3 is among the binary's own libraries" >&2
    exit 1
fi
echo "== the root holds:"
(cd "$root" && find . -type f ! -path './policies/*' | sort)

# verdicts as (file, claim, verdict), sorted
verdicts='
import json, sys
d = json.load(sys.stdin)
rows = [" ".join((f["path"].split("/")[-1], c["name"], c["verdict"])) for f in d["files"] for c in f["claims"]]
print("\n".join(sorted(rows)))'
status=0
for library in policies/secure-communities policies/irs-ice policies/tutorial; do
    [ -d "$root/$library" ] || continue
    echo "== chroot: flowproof verify /$library"
    # refuted claims exit 1 by design; 2 (an input error) or a crash is a failure
    code=0
    chroot "$root" /bin/flowproof verify "/$library" > "$root/tmp/verify.txt" 2> /dev/null || code=$?
    tail -n 1 "$root/tmp/verify.txt"
    echo "   exit status $code"
    if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then status=1; fi
    # the same verdicts as the binary gives outside the root
    inside="$(chroot "$root" /bin/flowproof verify --format json "/$library" 2> /dev/null | python3 -c "$verdicts")" || true
    outside="$("$binary" verify --format json "$library" 2> /dev/null | python3 -c "$verdicts")" || true
    if [ -z "$inside" ] || [ "$inside" != "$outside" ]; then
        echo "clean-root: the verdicts inside the root differ from those outside" >&2
        status=1
    else
        echo "   the same $(wc -l <<< "$inside") verdicts as outside the root"
    fi
done
echo "== chroot: flowproof report /policies/secure-communities"
chroot "$root" /bin/flowproof report --no-why /policies/secure-communities --out /out/report.html
ls -l "$root/out/report.html"
exit "$status"

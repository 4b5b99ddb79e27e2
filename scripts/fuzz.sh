#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer), four targets: lex, parse, check, verify.
#
#   scripts/fuzz.sh short            each target for FUZZ_SECONDS (default 12): the CI mode
#   scripts/fuzz.sh long [SECONDS]   each target for SECONDS (default 1800), two at a time
#   scripts/fuzz.sh run TARGET SECS  one target
#   scripts/fuzz.sh minimize         fold the working corpus into fuzz/seeds/ (committed)
#   scripts/fuzz.sh merge            add only what the working corpus adds to fuzz/seeds/, cut to 1 KB
#
# The seed corpus is every .flow file under policies/ and tests/fixtures/, plus
# fuzz/seeds/TARGET/ (inputs earlier runs found interesting). New inputs go to the
# working corpus fuzz/corpus/TARGET/; crashes to fuzz/artifacts/TARGET/, and the run
# fails. Logs with executions and coverage go to fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(lex parse check verify)

# cargo-fuzz needs a nightly compiler for the sanitizer; without one, stable is told to
# accept nightly flags
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    CARGO=(cargo +nightly)
else
    export RUSTC_BOOTSTRAP=1
    CARGO=(cargo)
fi
if ! "${CARGO[@]}" fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked --quiet
fi

build() {
    "${CARGO[@]}" fuzz build -O
}

# run TARGET SECONDS: fuzz one target; the log ends with libFuzzer's summary
run() {
    local target=$1 seconds=$2
    mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target" "fuzz/artifacts/$target" fuzz/logs
    local log="fuzz/logs/$target.log"
    echo "fuzzing $target for ${seconds}s (log: $log)" >&2
    if ! "${CARGO[@]}" fuzz run -O "$target" \
        "fuzz/corpus/$target" "fuzz/seeds/$target" policies tests/fixtures \
        -- -max_total_time="$seconds" -dict=fuzz/flow.dict -timeout=60 \
        -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "fuzz target $target failed: see $log and fuzz/artifacts/$target/" >&2
        return 1
    fi
    summary "$target"
}

summary() {
    local log="fuzz/logs/$1.log"
    local last
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    local execs
    execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
    echo "$1: ${execs:-?} executions; last status: ${last:-none}" >&2
}

case "${1:-short}" in
short)
    build
    for t in "${TARGETS[@]}"; do
        run "$t" "${FUZZ_SECONDS:-12}"
    done
    ;;
long)
    build
    seconds=${2:-1800}
    run lex "$seconds" & a=$!
    run parse "$seconds" & b=$!
    wait $a && wait $b
    run check "$seconds" & a=$!
    run verify "$seconds" & b=$!
    wait $a && wait $b
    ;;
run)
    build
    run "$2" "${3:-60}"
    ;;
merge)
    # keeps every committed seed and adds the inputs that reach something new, each cut
    # to 1 KB, so the seeds grow by what a run found rather than being rewritten
    for t in "${TARGETS[@]}"; do
        mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t"
        "${CARGO[@]}" fuzz run -O "$t" "fuzz/seeds/$t" "fuzz/corpus/$t" \
            -- -merge=1 -max_len=1024 >/dev/null 2>&1
        echo "$t: $(ls "fuzz/seeds/$t" | wc -l) seeds" >&2
    done
    ;;
minimize)
    for t in "${TARGETS[@]}"; do
        mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t"
        cp -n fuzz/seeds/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
        rm -rf "fuzz/seeds/$t" && mkdir -p "fuzz/seeds/$t"
        "${CARGO[@]}" fuzz cmin -O "$t" "fuzz/corpus/$t" -- -max_len=8192 >/dev/null 2>&1
        cp "fuzz/corpus/$t"/* "fuzz/seeds/$t/"
        echo "$t: $(ls "fuzz/seeds/$t" | wc -l) seeds" >&2
    done
    ;;
*)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

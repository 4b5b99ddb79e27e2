#!/usr/bin/env python3
"""Checks that both peers give exactly flowproof's verdicts on generated nations.

    .venv/bin/python benches/peers/check_agreement.py [--sizes 50,100,300,1000]
        [--seeds 1,2] [--flowproof PATH] [--no-flowproof-above N] [--varied]

For each size and seed: generates the nation (policy file and JSON facts), runs
`flowproof verify --format json` and both peers, and compares the verdicts claim by
claim (flowproof's `proved` with `vacuous: true` is "proved vacuously"). Above
--no-flowproof-above counties flowproof is not run and the peers are compared with
the CLAIMS table of src/generate.rs instead. With --varied the nations are
`gen nationwide --varied`, and the table is the verdicts the generator derives (the
"expected" of the JSON facts). Exits 1 on any disagreement.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def table():
    """The expected verdicts, from `CLAIMS` in src/generate.rs."""
    text = open(os.path.join(ROOT, "src", "generate.rs")).read()
    block = text[text.index("pub const CLAIMS"):]
    block = block[: block.index("];")]
    return dict(re.findall(r'\("(\w+)",\s*"([\w ]+)"\)', block))


def flowproof_verdicts(exe, flow):
    for attempt in range(10):  # the binary may be replaced while being rebuilt
        try:
            out = subprocess.run([exe, "verify", flow, "--format", "json"],
                                 capture_output=True, text=True)
        except OSError:
            time.sleep(3)
            continue
        if out.returncode in (0, 1) and out.stdout.strip():
            claims = json.loads(out.stdout)["files"][0]["claims"]
            return {c["name"]: c["verdict"] + (" vacuously" if c.get("vacuous") else "")
                    for c in claims}
        time.sleep(3)
    raise RuntimeError(f"flowproof failed on {flow}: {out.stderr[-500:]}")


def run_peer(name, facts):
    t = time.perf_counter()
    out = subprocess.run([sys.executable, os.path.join(HERE, name), facts],
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    res = json.loads(out.stdout)
    return res["verdicts"], res["seconds"], wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50,100,300,1000")
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--flowproof", default=os.path.join(ROOT, "target", "release", "flowproof"))
    ap.add_argument("--no-flowproof-above", type=int, default=10**9)
    ap.add_argument("--varied", action="store_true")
    args = ap.parse_args()
    expected_table = table()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes.split(",")):
            for seed in map(int, args.seeds.split(",")):
                flow = os.path.join(tmp, f"n{n}s{seed}.flow")
                facts = os.path.join(tmp, f"n{n}s{seed}.json")
                gen = [args.flowproof, "gen", "nationwide", "--counties", str(n), "--seed", str(seed)]
                if args.varied:
                    gen.append("--varied")
                with open(flow, "w") as f:
                    subprocess.run(gen, stdout=f, check=True)
                with open(facts, "w") as f:
                    subprocess.run(gen + ["--format", "json"], stdout=f, check=True)
                if n <= args.no_flowproof_above:
                    t = time.perf_counter()
                    ref = flowproof_verdicts(args.flowproof, flow)
                    ref_s = time.perf_counter() - t
                    source = f"flowproof {ref_s:.2f}s"
                else:
                    ref, source = expected_table, "CLAIMS table"
                    if args.varied:
                        with open(facts) as f:
                            ref, source = dict(json.load(f)["expected"]), "derived verdicts"
                line = [f"N={n:<6} seed={seed}  vs {source}"]
                for peer in ("clingo_peer.py", "z3_peer.py"):
                    verdicts, secs, wall = run_peer(peer, facts)
                    diff = {k: (ref.get(k), verdicts.get(k))
                            for k in set(ref) | set(verdicts) if ref.get(k) != verdicts.get(k)}
                    bad += bool(diff)
                    line.append(f"{peer.split('_')[0]} {'agree' if not diff else 'DIFFER ' + str(diff)}"
                                f" ({secs:.2f}s)")
                print("  ".join(line), flush=True)
    print("all agree" if not bad else f"{bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

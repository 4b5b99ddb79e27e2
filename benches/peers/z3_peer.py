#!/usr/bin/env python3
"""Benchmark peer: the nationwide Secure Communities model, hand-ground into Z3.

    .venv/bin/python benches/peers/z3_peer.py FACTS.json

FACTS.json is `flowproof gen nationwide --counties N --seed S --format json`
(with `--varied`, the encoding of z3_varied.py is solved instead). The
rules of the model (those `flow_text` in src/generate.rs writes) are hard-coded
below, one case per flowproof rule; only the agencies and the assumed facts come
from the JSON. Prints one JSON object:

    {"verdicts": {claim: "proved" | "refuted" | "proved vacuously"}, "seconds": s,
     "phases": {...}}

Encoding
--------
* One Bool per ground param (and per opt-out applied to its agency): a model of the
  solver is a scenario.
* Per origin county o, a slice: the (data, agency) nodes that data of o can reach
  at all, found by a forward closure over the rules, each edge with its condition
  (the rule's guard, and "not blocked for o" built from the opt-outs covering o).
* Reachability R(d, o, n) is a Bool per node, defined exactly as the least fixpoint:
  outside cycles by Clark completion (R_v == base_v or some edge u -> v taken from a
  reached u); inside a strongly connected component (here: match at FBI_CJIS and at
  the origin's state bureau, via `audits(s)`) the closure direction (taken -> R_v)
  plus the support direction, where an edge inside the component only supports v if
  it goes down an integer rank (k_u < k_v), so a cycle cannot support itself.
  Conditions that are constant (`true`) are folded while grounding.
* Assumptions are asserted; each question is "is there an admissible scenario with
  G?": G is the negated body for an `always` claim, the body for a `possible` claim,
  and the antecedent `exists xs. A` for the vacuity of a proved `always` claim.

Solving strategy (each choice measured on this model, 1,000-10,000 counties):
* Slices are ground once, lazily; each question collects the definitions of the
  nodes it reads and of their predecessors (its cone of influence), so the
  fingerprint-only questions never see the match/iaq/iar/detainer nodes.
* Each question gets a fresh solver built from the tactic pipeline TACTIC below
  (simplify, propagate-values, solve-eqs, ctx-simplify, then the SMT core) with the
  assumptions, its cone and its goal. solve-eqs eliminates the completion
  equalities and ctx-simplify then refutes most instances (e.g. `decline_results(c)
  && reaches(match of c, c)`, where the flow needs `!decline_results(c)`) before
  any search. The alternatives were much slower: one incremental solver with
  push/pop (30 s at 1,000 counties: the SMT core makes about N decisions between
  two conflicts, and refuting N instances one conflict each is quadratic), one
  check per instance with an assumption literal (also quadratic: every check costs
  O(N)), and a fresh default `z3.Solver()` per question (its QF_LIA strategy was
  6-10x slower than this pipeline on the question with ranks).
* Ranks are bounded by the size of their component (0 <= k < |C|).
* Environment: Z3_PEER_TACTIC overrides the pipeline (comma-separated tactic
  names), Z3_PEER_TRACE=1 prints each question's size and times on stderr.
* Connectives are built through Z3's C API with constant folding (see the helpers):
  at 10,000 counties the Python wrappers' argument checks cost more than solving.
"""

import time

T0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import z3  # noqa: E402

CLAIMS = [
    ("removal_request_keeps_prints_from_ident", "always"),
    ("granted_removal_keeps_prints_from_ident", "always"),
    ("program_is_voluntary", "possible"),
    ("declining_stops_results", "always"),
    ("ice_learns_only_from_ident", "always"),
    ("detainer_only_after_match", "always"),
    ("moa_exit_shields_a_states_counties", "always"),
    ("decliner_can_get_a_detainer", "possible"),
]

FP, MATCH, IAQ, IAR, DET = "fingerprints", "match", "iaq", "iar", "detainer"
FBI, DHS, LESC, FO = "FBI_CJIS", "DHS_IDENT", "ICE_LESC", "ICE_FieldOffice"
TRUE, FALSE = z3.BoolVal(True), z3.BoolVal(False)


# ------------------------------------------------------------------ term helpers
# Connectives with constant folding, built through Z3's C API: the z3.And/z3.Or
# wrappers check and coerce every argument in Python, which costs more than Z3's
# own work at this size.
CTX = z3.main_ctx()


BOOL_SORT = z3.BoolSort(CTX)


def BOOL(name):
    """A Boolean constant (z3.Bool, without rebuilding the sort each time)."""
    sym = z3.Z3_mk_string_symbol(CTX.ref(), name)
    return z3.BoolRef(z3.Z3_mk_const(CTX.ref(), sym, BOOL_SORT.ast), CTX)


INT_SORT = z3.IntSort(CTX)
_nums = {}


def INT(name):
    return z3.ArithRef(z3.Z3_mk_const(CTX.ref(), z3.to_symbol(name, CTX), INT_SORT.ast), CTX)


def NUM(k):
    if k not in _nums:
        _nums[k] = z3.IntVal(k, CTX)
    return _nums[k]


def LT(a, b):
    return z3.BoolRef(z3.Z3_mk_lt(CTX.ref(), a.as_ast(), b.as_ast()), CTX)


def LE(a, b):
    return z3.BoolRef(z3.Z3_mk_le(CTX.ref(), a.as_ast(), b.as_ast()), CTX)


def _nary(mk, xs):
    arr = (z3.Ast * len(xs))(*[x.as_ast() for x in xs])
    return z3.BoolRef(mk(CTX.ref(), len(xs), arr), CTX)


def AND(*xs):
    return CONJ(xs)


def CONJ(xs):
    ys = []
    for x in xs:
        if x is FALSE:
            return FALSE
        if x is not TRUE:
            ys.append(x)
    if not ys:
        return TRUE
    return ys[0] if len(ys) == 1 else _nary(z3.Z3_mk_and, ys)


def OR(xs):
    ys = []
    for x in xs:
        if x is TRUE:
            return TRUE
        if x is not FALSE:
            ys.append(x)
    if not ys:
        return FALSE
    return ys[0] if len(ys) == 1 else _nary(z3.Z3_mk_or, ys)


def NOT(x):
    if x is TRUE:
        return FALSE
    if x is FALSE:
        return TRUE
    return z3.BoolRef(z3.Z3_mk_not(CTX.ref(), x.as_ast()), CTX)


def IMPLIES(a, b):
    if a is FALSE or b is TRUE:
        return TRUE
    if a is TRUE:
        return b
    return z3.BoolRef(z3.Z3_mk_implies(CTX.ref(), a.as_ast(), b.as_ast()), CTX)


def IFF(a, b):
    return z3.BoolRef(z3.Z3_mk_iff(CTX.ref(), a.as_ast(), b.as_ast()), CTX)


# ------------------------------------------------------------------ the model
class Model:
    def __init__(self, facts):
        self.states = facts["states"]
        self.counties = [name for name, _ in facts["counties"]]
        self.state_of = [s for _, s in facts["counties"]]
        self.facts = facts
        n = len(self.counties)
        cb = lambda p: [BOOL(f"{p}({c})") for c in self.counties]  # noqa: E731
        sb = lambda p: [BOOL(f"{p}({s})") for s in self.states]  # noqa: E731
        # params
        self.activated = cb("activated")
        self.removal_granted = cb("removal_granted")
        self.ident_match = cb("ident_match")
        self.lodges_detainer = cb("lodges_detainer")
        self.sib_relays_results = sb("sib_relays_results")
        self.audits = sb("audits")
        self.moa_exit_honoured = BOOL("moa_exit_honoured")
        self.results_optout_honoured = BOOL("results_optout_honoured")
        # opt-outs, as params
        self.county_requests_removal = cb("county_requests_removal")
        self.state_ends_moa = sb("state_ends_moa")
        self.decline_results = cb("decline_results")
        self.slices = [None] * n

    # agencies are ("c", i), ("s", j) or a federal name
    def parent(self, a):
        if isinstance(a, tuple) and a[0] == "c":
            return ("s", self.state_of[a[1]])
        return None

    def within_chain(self, o):
        """o and every agency it is declared inside."""
        while o is not None:
            yield o
            o = self.parent(o)

    def blocked(self, d, o, x, y):
        """When the flow instance x -> y of data d is blocked for origin o."""
        conds = []
        for a in self.within_chain(o):
            kind = a[0] if isinstance(a, tuple) else "federal"
            # optout county_requests_removal(c: county) when removal_granted(c)
            #   blocks fingerprints: FBI_CJIS -> DHS_IDENT
            if kind == "c" and d == FP and (x, y) == (FBI, DHS):
                conds.append(AND(self.county_requests_removal[a[1]], self.removal_granted[a[1]]))
            # optout state_ends_moa(s: state) when moa_exit_honoured
            #   blocks fingerprints: FBI_CJIS -> DHS_IDENT
            if kind == "s" and d == FP and (x, y) == (FBI, DHS):
                conds.append(AND(self.state_ends_moa[a[1]], self.moa_exit_honoured))
            # optout decline_results(c: county) when results_optout_honoured
            #   blocks match: parent(c) -> c   blocks iar: parent(c) -> c
            if kind == "c" and d in (MATCH, IAR) and (x, y) == (self.parent(a), a):
                conds.append(AND(self.decline_results[a[1]], self.results_optout_honoured))
        return OR(conds)

    def flow(self, d, o, x, y, guard=TRUE):
        """A flow instance: its guard and not blocked for o."""
        return (d, y), AND(guard, NOT(self.blocked(d, o, x, y)))

    def successors(self, o, d, a):
        """Every rule instance that moves data d of origin o on from agency a:
        ((data, agency), condition). One case per rule of the model."""
        i = o[1]
        out = []
        if d == FP:
            # flow fingerprints: (c: county) -> parent(c)
            if isinstance(a, tuple) and a[0] == "c":
                out.append(self.flow(FP, o, a, self.parent(a)))
            # flow fingerprints: (s: state) -> FBI_CJIS
            if isinstance(a, tuple) and a[0] == "s":
                out.append(self.flow(FP, o, a, FBI))
            # flow fingerprints: FBI_CJIS -> DHS_IDENT when activated(origin)
            if a == FBI:
                out.append(self.flow(FP, o, FBI, DHS, self.activated[i]))
            # derive match from fingerprints at DHS_IDENT when ident_match(origin)
            if a == DHS:
                out.append(((MATCH, DHS), self.ident_match[i]))
        elif d == MATCH:
            # flow match: DHS_IDENT -> FBI_CJIS
            if a == DHS:
                out.append(self.flow(MATCH, o, DHS, FBI))
            # flow match: FBI_CJIS -> parent(origin)
            if a == FBI:
                out.append(self.flow(MATCH, o, FBI, self.parent(o)))
            # flow match: (s: state) -> FBI_CJIS when audits(s)
            if isinstance(a, tuple) and a[0] == "s":
                out.append(self.flow(MATCH, o, a, FBI, self.audits[a[1]]))
            # flow match: parent(origin) -> origin when sib_relays_results(parent(origin))
            if a == self.parent(o):
                out.append(self.flow(MATCH, o, a, o, self.sib_relays_results[a[1]]))
            # derive iaq from match at DHS_IDENT
            if a == DHS:
                out.append(((IAQ, DHS), TRUE))
        elif d == IAQ:
            # flow iaq: DHS_IDENT -> ICE_LESC
            if a == DHS:
                out.append(self.flow(IAQ, o, DHS, LESC))
            # derive iar from iaq at ICE_LESC
            if a == LESC:
                out.append(((IAR, LESC), TRUE))
        elif d == IAR:
            # flow iar: ICE_LESC -> ICE_FieldOffice;  flow iar: ICE_LESC -> FBI_CJIS
            if a == LESC:
                out.append(self.flow(IAR, o, LESC, FO))
                out.append(self.flow(IAR, o, LESC, FBI))
            # flow iar: FBI_CJIS -> parent(origin)
            if a == FBI:
                out.append(self.flow(IAR, o, FBI, self.parent(o)))
            # flow iar: parent(origin) -> origin
            if a == self.parent(o):
                out.append(self.flow(IAR, o, a, o))
            # derive detainer from iar at ICE_FieldOffice when lodges_detainer(origin)
            if a == FO:
                out.append(((DET, FO), self.lodges_detainer[i]))
        elif d == DET:
            # flow detainer: ICE_FieldOffice -> origin
            if a == FO:
                out.append(self.flow(DET, o, FO, o))
        # grounding drops flow instances from an agency to itself (a derive stays at
        # its agency but changes the data), and edges whose condition is false
        return [(v, c) for v, c in out if v != (d, a) and c is not FALSE]

    def slice(self, i):
        if self.slices[i] is None:
            self.slices[i] = Slice(self, ("c", i))
        return self.slices[i]


class Shape:
    """A slice's strongly connected components (Tarjan): per node its component,
    per component its nodes, whether it has a cycle, and the components with an
    edge into it."""

    def __init__(self, n, edges):
        succ = [[] for _ in range(n)]
        for u, v, _ in edges:
            succ[u].append(v)
        index, low, on, stack = {}, {}, set(), []
        self.comp = [None] * n
        self.members = []

        def visit(v):
            index[v] = low[v] = len(index)
            stack.append(v)
            on.add(v)
            for w in succ[v]:
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    group.append(w)
                    self.comp[w] = len(self.members)
                    if w == v:
                        break
                self.members.append(tuple(sorted(group)))

        for v in range(n):
            if v not in index:
                visit(v)
        self.cyclic = [len(g) > 1 for g in self.members]
        preds = [set() for _ in self.members]
        for u, v, _ in edges:
            if self.comp[u] != self.comp[v]:
                preds[self.comp[v]].add(self.comp[u])
        self.preds = [tuple(sorted(s)) for s in preds]
        # per component: it and every component it can be reached from, each after
        # its predecessors (the order definitions are made in)
        self.closure = []
        for c in range(len(self.members)):
            order, seen = [], set()

            def walk(k):
                if k not in seen:
                    seen.add(k)
                    for p in self.preds[k]:
                        walk(p)
                    order.append(k)

            walk(c)
            self.closure.append(tuple(order))


_shapes = {}


def shape_of(n, edges):
    """Every slice of this model has the same shape (up to the names of the
    agencies), so the components are computed once per distinct shape."""
    key = (n, tuple((u, v) for u, v, _ in edges))
    s = _shapes.get(key)
    if s is None:
        s = _shapes[key] = Shape(n, edges)
    return s


class Slice:
    """The statically reachable part of the graph for data of one origin county."""

    def __init__(self, model, o):
        self.o = o
        self.nodes = [(FP, o)]  # collect fingerprints at (c: county)
        self.index = {(FP, o): 0}
        self.base = [TRUE]
        self.edges = []  # (u, v, cond)
        k = 0
        while k < len(self.nodes):
            d, a = self.nodes[k]
            for v, cond in model.successors(o, d, a):
                j = self.index.get(v)
                if j is None:
                    j = self.index[v] = len(self.nodes)
                    self.nodes.append(v)
                    self.base.append(FALSE)
                self.edges.append((k, j, cond))
            k += 1
        self.incoming = [[] for _ in self.nodes]
        for u, v, c in self.edges:
            self.incoming[v].append((u, c))
        self.shape = shape_of(len(self.nodes), self.edges)
        self.r = [None] * len(self.nodes)  # per node: its Bool, or TRUE if folded
        self.defs = [None] * len(self.shape.members)  # per component: its definitions

    def reach(self, q, d, n):
        """R(d, o, n) for question q, adding its definition and those of its
        predecessors (its cone of influence) to q."""
        j = self.index.get((d, n))
        if j is None:
            return FALSE  # data of o can never be there
        self.cone(q, self.shape.comp[j])
        return self.r[j]

    def cone(self, q, c):
        o = self.o[1]
        done = q.seen.get(o, 0)
        if (done >> c) & 1:
            return
        for k in self.shape.closure[c]:
            if not (done >> k) & 1:
                done |= 1 << k
                defs = self.defs[k]
                if defs is None:
                    defs = self.defs[k] = self.define(self.shape.members[k], self.shape.cyclic[k])
                q.defs += defs
        q.seen[o] = done

    def var(self, v):
        d, a = self.nodes[v]
        aname = a if isinstance(a, str) else f"{a[0]}{a[1]}"
        return BOOL(f"R[{d},c{self.o[1]},{aname}]")

    def define(self, members, cyclic):
        """The formulas defining R for the nodes of one component (predecessors
        outside it are defined already)."""
        out = []
        if not cyclic:
            (v,) = members
            support = OR([self.base[v]] + [AND(self.r[u], c) for u, c in self.incoming[v]])
            if support is TRUE or support is FALSE:
                self.r[v] = support  # constant: folded
            else:
                self.r[v] = self.var(v)
                out.append(IFF(self.r[v], support))  # completion
            return out
        for v in members:
            self.r[v] = self.var(v)
        # at most |component| distinct ranks are needed
        rank = {v: INT(f"k[{self.nodes[v][0]},c{self.o[1]},{v}]") for v in members}
        for v in members:
            out.append(LE(NUM(0), rank[v]))
            out.append(LT(rank[v], NUM(len(members))))
        for v in members:
            rv = self.r[v]
            support = [self.base[v]]
            out.append(IMPLIES(self.base[v], rv))
            for u, c in self.incoming[v]:
                taken = AND(self.r[u], c)
                out.append(IMPLIES(taken, rv))  # closure: every edge taken reaches v
                if self.shape.comp[u] == self.shape.comp[v]:
                    support.append(AND(taken, LT(rank[u], rank[v])))
                else:
                    support.append(taken)
            # support: v is reached only from a base or an edge down the rank
            out.append(IMPLIES(rv, OR(support)))
        return [f for f in out if f is not TRUE]


class Question:
    """The definitions one solver question needs."""

    def __init__(self):
        self.defs = []
        self.seen = {}  # origin -> bit set of the components already added


# The solver for one question: Z3's default solver picks its QF_LIA strategy for
# these problems (the ranks are integers), which at thousands of counties spends
# most of its time outside the search; this pipeline eliminates the definitional
# equalities (solve-eqs) and simplifies in context before the SMT core.
TACTIC = os.environ.get("Z3_PEER_TACTIC", "simplify,propagate-values,solve-eqs,ctx-simplify,smt")


def main():
    if len(sys.argv) != 2:
        print("usage: z3_peer.py FACTS.json", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        facts = json.load(f)
    t_load = time.perf_counter()
    tactic = z3.Then(*TACTIC.split(",")) if "," in TACTIC else z3.Tactic(TACTIC)
    if facts.get("shape") == "varied":
        return main_varied(facts, t_load, tactic)
    m = Model(facts)

    # assume !moa_exit_honoured; assume results_optout_honoured;
    # assume activated(c); assume !removal_granted(c); assume sib_relays_results(s);
    assumptions = CONJ(
        [NOT(m.moa_exit_honoured), m.results_optout_honoured]
        + [m.activated[i] for i in facts["activated"]]
        + [NOT(m.removal_granted[i]) for i in facts["never_removed"]]
        + [m.sib_relays_results[j] for j in facts["relaying"]]
    )

    counties = range(len(m.counties))
    q = None  # the question being built

    def R(d, i, n):
        return m.slice(i).reach(q, d, n)

    def c_(i):
        return ("c", i)

    # Per claim, the instances of the question as a list of formulas (the question
    # is their disjunction). `goal`: for an `always` claim, the instances of the
    # leading variables where the body is false; for a `possible` claim, where it is
    # true. `antecedent`: where the antecedent A of `forall xs. A => B` is true. A
    # disjunction inside an instance is split into one instance per disjunct.
    def goal(name):
        if name == "removal_request_keeps_prints_from_ident":
            return [AND(m.county_requests_removal[i], R(FP, i, DHS)) for i in counties]
        if name == "granted_removal_keeps_prints_from_ident":
            return [AND(m.county_requests_removal[i], m.removal_granted[i], R(FP, i, DHS))
                    for i in counties]
        if name == "program_is_voluntary":
            return [AND(m.activated[i], R(FP, i, FBI), NOT(R(FP, i, DHS))) for i in counties]
        if name == "declining_stops_results":
            return [AND(m.decline_results[i], R(d, i, c_(i)))
                    for i in counties for d in (MATCH, IAR)]
        if name == "ice_learns_only_from_ident":
            return [AND(R(IAR, i, FO), NOT(R(FP, i, DHS))) for i in counties]
        if name == "detainer_only_after_match":
            return [AND(R(DET, i, c_(i)), NOT(p[i]))
                    for i in counties for p in (m.ident_match, m.activated)]
        if name == "moa_exit_shields_a_states_counties":
            # forall s: state. A(s) => forall c: county. parent(c) == s => B(c):
            # the equality is decided while grounding, so only the counties of s
            return [AND(m.state_ends_moa[m.state_of[i]], m.moa_exit_honoured, R(FP, i, DHS))
                    for i in counties]
        if name == "decliner_can_get_a_detainer":
            return [AND(m.decline_results[i], R(DET, i, c_(i))) for i in counties]
        raise KeyError(name)

    def antecedent(name):
        if name == "removal_request_keeps_prints_from_ident":
            return [m.county_requests_removal[i] for i in counties]
        if name == "granted_removal_keeps_prints_from_ident":
            return [AND(m.county_requests_removal[i], m.removal_granted[i]) for i in counties]
        if name == "declining_stops_results":
            return [m.decline_results[i] for i in counties]
        if name == "ice_learns_only_from_ident":
            return [R(IAR, i, FO) for i in counties]
        if name == "detainer_only_after_match":
            return [R(DET, i, c_(i)) for i in counties]
        if name == "moa_exit_shields_a_states_counties":
            return [AND(m.state_ends_moa[j], m.moa_exit_honoured) for j in range(len(m.states))]
        raise KeyError(name)

    times = {"build": 0.0, "check": 0.0}

    def sat(build):
        """Is there an admissible scenario where one of the instances holds?"""
        nonlocal q
        t = time.perf_counter()
        q = Question()
        g = OR(build())
        solver = tactic.solver()
        solver.add(assumptions, CONJ(q.defs), g)
        t2 = time.perf_counter()
        r = solver.check()
        if r == z3.unknown:
            raise RuntimeError(f"z3 gave up: {solver.reason_unknown()}")
        times["build"] += t2 - t
        times["check"] += time.perf_counter() - t2
        if os.environ.get("Z3_PEER_TRACE"):
            print(f"{len(q.defs):8d} defs  build {t2 - t:7.3f}  check {time.perf_counter() - t2:7.3f}  {r}",
                  file=sys.stderr)
        return r == z3.sat

    if not sat(lambda: [TRUE]):
        print(json.dumps({"error": "the assumptions are contradictory"}))
        return 2

    verdicts = {}
    for name, mode in CLAIMS:
        if mode == "possible":
            verdicts[name] = "proved" if sat(lambda: goal(name)) else "refuted"
        elif sat(lambda: goal(name)):
            verdicts[name] = "refuted"
        elif sat(lambda: antecedent(name)):
            verdicts[name] = "proved"
        else:
            verdicts[name] = "proved vacuously"
    t_end = time.perf_counter()

    print(json.dumps({
        "verdicts": verdicts,
        "seconds": round(t_end - T0, 4),
        "phases": {
            "start_and_read": round(t_load - T0, 4),
            "ground_and_encode": round(times["build"], 4),
            "solve": round(times["check"], 4),
        },
    }))
    return 0


def main_varied(facts, t_load, tactic):
    """The varied nation (`gen nationwide --varied`): see z3_varied.py."""
    import z3_varied

    verdicts, times = z3_varied.solve(sys.modules[__name__], facts, tactic,
                                      trace=bool(os.environ.get("Z3_PEER_TRACE")))
    if verdicts is None:
        print(json.dumps({"error": "the assumptions are contradictory"}))
        return 2
    t_end = time.perf_counter()
    print(json.dumps({
        "verdicts": verdicts,
        "seconds": round(t_end - T0, 4),
        "phases": {
            "start_and_read": round(t_load - T0, 4),
            "ground_and_encode": round(times["build"], 4),
            "solve": round(times["check"], 4),
        },
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The varied nation (`flowproof gen nationwide --varied`), hand-ground into Z3.

Used by z3_peer.py when the facts say `"shape": "varied"`, with z3_peer.py's term
helpers, component analysis and tactic pipeline (passed in as `p`). The rules of the
model (those `varied_flow_text` in src/generate/varied_text.rs writes) are hard-coded
in `successors`, one case per flowproof rule; the states' laws, the counties' rules of
their own and the agencies the named claims are about come from the JSON.

As in z3_peer.py: one Bool per ground param, a slice per origin (every county and
every city) ground lazily, completion outside cycles and integer ranks inside them
(the criminal-history cycle FBI_CJIS -> state -> FBI_CJIS), and a fresh solver per
question over the question's cone of influence.
"""

import time

FP, CH, MATCH, DET, RN = "fingerprints", "criminal_history", "match", "detainer", "release_notice"
FBI, DHS, FO = "FBI_CJIS", "DHS_IDENT", "ICE_FieldOffice"

# Per claim index: "possible", "always" (with a vacuity question) or "plain" (an
# `always` claim that is no implication, so never vacuous).
MODES = ["always"] * 6 + ["possible", "always", "always", "plain", "always", "possible"]


class Varied:
    def __init__(self, p, facts):
        self.p = p
        self.states = facts["states"]
        self.state_of = [s for _, s in facts["counties"]]
        self.county_of = [c for _, c in facts["cities"]]
        self.spol = facts["state_policies"]
        self.cpol = facts["county_policies"]
        B = p.BOOL
        cb = lambda n: [B(f"{n}({c})") for c, _ in facts["counties"]]  # noqa: E731
        sb = lambda n: [B(f"{n}({s})") for s in self.states]  # noqa: E731
        self.moa_exit_honoured = B("moa_exit_honoured")
        self.moa_signed = sb("moa_signed")
        self.withholding_in_force = sb("withholding_in_force")
        self.shares_history = sb("shares_history")
        self.optout_honoured = cb("optout_honoured")
        self.g287_active = cb("g287_active")
        self.judicial_warrant = cb("judicial_warrant")
        self.serious_felony = cb("serious_felony")
        self.sanctuary_ordinance = cb("sanctuary_ordinance")
        # opt-outs, as params
        self.state_ends_moa = sb("state_ends_moa")
        self.moa_pending = sb("moa_pending")
        self.withholds_prints = sb("withholds_prints")
        self.trust_act = sb("trust_act")
        self.county_optout = cb("county_optout")
        self.slices = {}

    # agencies: ("c", i) county, ("t", k) city, ("s", j) state, or a federal name
    def parent(self, a):
        if isinstance(a, tuple):
            if a[0] == "c":
                return ("s", self.state_of[a[1]])
            if a[0] == "t":
                return ("c", self.county_of[a[1]])
        return None

    def within_chain(self, o):
        while o is not None:
            yield o
            o = self.parent(o)

    def blocked(self, d, o, x, y):
        """When the flow instance x -> y of data d is blocked for origin o."""
        p = self.p
        conds = []
        for a in self.within_chain(o):
            if a[0] == "s" and d == FP and (x, y) == (FBI, DHS):
                j = a[1]
                # optout state_ends_moa(s: state) when moa_exit_honoured
                conds.append(p.AND(self.state_ends_moa[j], self.moa_exit_honoured))
                # optout moa_pending(s: state) when !moa_signed(s)
                conds.append(p.AND(self.moa_pending[j], p.NOT(self.moa_signed[j])))
            # optout withholds_prints(s: state) when withholding_in_force(s) blocks fingerprints: s -> FBI_CJIS
            if a[0] == "s" and d == FP and (x, y) == (a, FBI):
                conds.append(p.AND(self.withholds_prints[a[1]], self.withholding_in_force[a[1]]))
            # optout county_optout(c: county) when optout_honoured(c)
            if a[0] == "c" and d == FP and (x, y) == (FBI, DHS):
                conds.append(p.AND(self.county_optout[a[1]], self.optout_honoured[a[1]]))
        # optout trust_act(s: state) covers all
        #   blocks release_notice: (c: county) -> ICE_FieldOffice when parent(c) == s && !judicial_warrant(c)
        if d == RN and y == FO and isinstance(x, tuple) and x[0] == "c":
            j = self.state_of[x[1]]
            conds.append(p.AND(self.trust_act[j], p.NOT(self.judicial_warrant[x[1]])))
        return p.OR(conds)

    def flow(self, d, o, x, y, guard=None):
        p = self.p
        guard = p.TRUE if guard is None else guard
        return (d, y), p.AND(guard, p.NOT(self.blocked(d, o, x, y)))

    def successors(self, o, d, a):
        p = self.p
        out = []
        kind = a[0] if isinstance(a, tuple) else None
        if d == FP:
            # flow fingerprints: (t: city) -> parent(t);  (c: county) -> parent(c)
            if kind in ("t", "c"):
                out.append(self.flow(FP, o, a, self.parent(a)))
            # per 287(g) county X: flow fingerprints: X -> ICE_FieldOffice when g287_active(X)
            if kind == "c" and self.cpol[a[1]]["g287"]:
                out.append(self.flow(FP, o, a, FO, self.g287_active[a[1]]))
            # flow fingerprints: (s: state) -> FBI_CJIS
            if kind == "s":
                out.append(self.flow(FP, o, a, FBI))
            # flow fingerprints: FBI_CJIS -> DHS_IDENT; derive criminal_history at FBI_CJIS
            if a == FBI:
                out.append(self.flow(FP, o, FBI, DHS))
                out.append(((CH, FBI), p.TRUE))
            # derive match from fingerprints at DHS_IDENT; at ICE_FieldOffice
            if a in (DHS, FO):
                out.append(((MATCH, a), p.TRUE))
        elif d == CH:
            # flow criminal_history: FBI_CJIS -> parent(origin)
            if a == FBI:
                out.append(self.flow(CH, o, FBI, self.parent(o)))
            # flow criminal_history: (s: state) -> FBI_CJIS when shares_history(s)
            if kind == "s":
                out.append(self.flow(CH, o, a, FBI, self.shares_history[a[1]]))
            # flow criminal_history: parent(origin) -> origin
            if a == self.parent(o):
                out.append(self.flow(CH, o, a, o))
        elif d == MATCH:
            # flow match: DHS_IDENT -> ICE_FieldOffice; derive detainer from match at ICE_FieldOffice
            if a == DHS:
                out.append(self.flow(MATCH, o, DHS, FO))
            if a == FO:
                out.append(((DET, FO), p.TRUE))
        elif d == DET:
            # flow detainer: ICE_FieldOffice -> origin; derive release_notice at (c: county), (t: city)
            if a == FO:
                out.append(self.flow(DET, o, FO, o))
            if kind in ("c", "t"):
                out.append(((RN, a), p.TRUE))
        elif d == RN:
            # flow release_notice: (t: city) -> parent(t)
            if kind == "t":
                out.append(self.flow(RN, o, a, self.parent(a)))
            if kind == "c":
                i = a[1]
                # flow release_notice: (c: county) -> ICE_FieldOffice when !sanctuary_ordinance(c)
                out.append(self.flow(RN, o, a, FO, p.NOT(self.sanctuary_ordinance[i])))
                # per ordinance county X: flow release_notice: X -> ICE_FieldOffice when serious_felony(X)
                if self.cpol[i]["ordinance"]:
                    out.append(self.flow(RN, o, a, FO, self.serious_felony[i]))
        return [(v, c) for v, c in out if v != (d, a) and c is not p.FALSE]

    def slice(self, o):
        s = self.slices.get(o)
        if s is None:
            s = self.slices[o] = VSlice(self, o)
        return s

    def assumptions(self):
        p = self.p
        out = [p.NOT(self.moa_exit_honoured)]
        for j, sp in enumerate(self.spol):
            out.append(self.trust_act[j] if sp["trust_act"] else p.NOT(self.trust_act[j]))
            out.append(self.withholds_prints[j] if sp["withholds_prints"]
                       else p.NOT(self.withholds_prints[j]))
            if sp["moa_signed"]:
                out.append(self.moa_signed[j])
            else:
                out += [p.NOT(self.moa_signed[j]), self.moa_pending[j]]
            if sp["ended_moa"]:
                out.append(self.state_ends_moa[j])
        for i, cp in enumerate(self.cpol):
            if cp["optout"] == "honoured":
                out += [self.county_optout[i], self.optout_honoured[i]]
            elif cp["optout"] == "refused":
                out += [self.county_optout[i], p.NOT(self.optout_honoured[i])]
            if cp["ordinance"]:
                out.append(self.sanctuary_ordinance[i])
        return p.CONJ(out)


class VSlice:
    """z3_peer.Slice for an origin that is a county or a city."""

    def __init__(self, model, o):
        p = model.p
        self.p, self.o = p, o
        self.key = f"{o[0]}{o[1]}"
        self.nodes = [(FP, o)]
        self.index = {(FP, o): 0}
        self.base = [p.TRUE]
        self.edges = []
        k = 0
        while k < len(self.nodes):
            d, a = self.nodes[k]
            for v, cond in model.successors(o, d, a):
                j = self.index.get(v)
                if j is None:
                    j = self.index[v] = len(self.nodes)
                    self.nodes.append(v)
                    self.base.append(p.FALSE)
                self.edges.append((k, j, cond))
            k += 1
        self.incoming = [[] for _ in self.nodes]
        for u, v, c in self.edges:
            self.incoming[v].append((u, c))
        self.shape = p.shape_of(len(self.nodes), self.edges)
        self.r = [None] * len(self.nodes)
        self.defs = [None] * len(self.shape.members)

    def reach(self, q, d, n):
        j = self.index.get((d, n))
        if j is None:
            return self.p.FALSE
        self.cone(q, self.shape.comp[j])
        return self.r[j]

    def cone(self, q, c):
        done = q.seen.get(self.key, 0)
        if (done >> c) & 1:
            return
        for k in self.shape.closure[c]:
            if not (done >> k) & 1:
                done |= 1 << k
                defs = self.defs[k]
                if defs is None:
                    defs = self.defs[k] = self.define(self.shape.members[k], self.shape.cyclic[k])
                q.defs += defs
        q.seen[self.key] = done

    def name(self, v):
        d, a = self.nodes[v]
        aname = a if isinstance(a, str) else f"{a[0]}{a[1]}"
        return f"{d},{self.key},{aname}"

    def define(self, members, cyclic):
        p = self.p
        out = []
        if not cyclic:
            (v,) = members
            support = p.OR([self.base[v]] + [p.AND(self.r[u], c) for u, c in self.incoming[v]])
            if support is p.TRUE or support is p.FALSE:
                self.r[v] = support
            else:
                self.r[v] = p.BOOL(f"R[{self.name(v)}]")
                out.append(p.IFF(self.r[v], support))
            return out
        for v in members:
            self.r[v] = p.BOOL(f"R[{self.name(v)}]")
        rank = {v: p.INT(f"k[{self.name(v)}]") for v in members}
        for v in members:
            out.append(p.LE(p.NUM(0), rank[v]))
            out.append(p.LT(rank[v], p.NUM(len(members))))
        for v in members:
            rv = self.r[v]
            support = [self.base[v]]
            out.append(p.IMPLIES(self.base[v], rv))
            for u, c in self.incoming[v]:
                taken = p.AND(self.r[u], c)
                out.append(p.IMPLIES(taken, rv))
                if self.shape.comp[u] == self.shape.comp[v]:
                    support.append(p.AND(taken, p.LT(rank[u], rank[v])))
                else:
                    support.append(taken)
            out.append(p.IMPLIES(rv, p.OR(support)))
        return [f for f in out if f is not p.TRUE]


def solve(p, facts, tactic, trace=False):
    """The verdicts by claim name (None if the assumptions are contradictory), and the
    time spent building and checking questions."""
    m = Varied(p, facts)
    assumptions = m.assumptions()
    n = len(facts["counties"])
    counties = range(n)
    cities = range(len(facts["cities"]))
    q = None

    def R(d, o, node):
        return m.slice(o).reach(q, d, node)

    def c_(i):
        return ("c", i)

    AND, NOT = p.AND, p.NOT
    co, oh = m.county_optout, m.optout_honoured
    st = m.state_of
    named = facts["named"]

    def goal(k):
        if k == 0:
            return [AND(co[i], R(FP, c_(i), DHS)) for i in counties]
        if k == 1:
            return [AND(co[i], oh[i], R(FP, c_(i), DHS)) for i in counties]
        if k == 2:
            return [AND(co[m.county_of[t]], oh[m.county_of[t]], R(FP, ("t", t), DHS)) for t in cities]
        if k == 3:
            return [AND(NOT(m.moa_signed[st[i]]), R(FP, c_(i), DHS)) for i in counties]
        if k == 4:
            return [AND(m.state_ends_moa[st[i]], m.moa_exit_honoured, R(FP, c_(i), DHS))
                    for i in counties]
        if k in (5, 6):
            return [AND(m.trust_act[st[i]], NOT(m.judicial_warrant[i]), R(RN, c_(i), FO))
                    for i in counties]
        if k == 7:
            return [AND(R(MATCH, c_(i), FO), NOT(R(FP, c_(i), DHS))) for i in counties]
        if k == 8:
            return [AND(R(FP, c_(i), FBI), NOT(R(CH, c_(i), c_(i)))) for i in counties]
        if k == 9:
            return [R(FP, c_(named["honoured_county"]), FO)]
        if k == 10:
            return [NOT(R(FP, c_(i), FBI)) for i in counties if st[i] == named["state"]]
        if k == 11:
            return [R(RN, c_(named["ordinance_county"]), FO)]
        raise KeyError(k)

    def antecedent(k):
        if k == 0:
            return [co[i] for i in counties]
        if k == 1:
            return [AND(co[i], oh[i]) for i in counties]
        if k == 2:
            return [AND(co[m.county_of[t]], oh[m.county_of[t]]) for t in cities]
        if k == 3:
            return [NOT(m.moa_signed[j]) for j in range(len(m.states))]
        if k == 4:
            return [AND(m.state_ends_moa[j], m.moa_exit_honoured) for j in range(len(m.states))]
        if k == 5:
            return [AND(m.trust_act[st[i]], NOT(m.judicial_warrant[i])) for i in counties]
        if k == 7:
            return [R(MATCH, c_(i), FO) for i in counties]
        if k == 8:
            return [R(FP, c_(i), FBI) for i in counties]
        if k == 10:
            return [p.TRUE for i in counties if st[i] == named["state"]]
        raise KeyError(k)

    times = {"build": 0.0, "check": 0.0}

    def sat(build):
        nonlocal q
        t = time.perf_counter()
        q = p.Question()
        g = p.OR(build())
        solver = tactic.solver()
        solver.add(assumptions, p.CONJ(q.defs), g)
        t2 = time.perf_counter()
        r = solver.check()
        if r == p.z3.unknown:
            raise RuntimeError(f"z3 gave up: {solver.reason_unknown()}")
        times["build"] += t2 - t
        times["check"] += time.perf_counter() - t2
        if trace:
            print(f"{len(q.defs):8d} defs  build {t2 - t:7.3f}  check {time.perf_counter() - t2:7.3f}  {r}",
                  file=p.sys.stderr)
        return r == p.z3.sat

    if not sat(lambda: [p.TRUE]):
        return None, times
    verdicts = {}
    for k, (name, _mode) in enumerate(facts["claims"]):
        mode = MODES[k]
        if mode == "possible":
            verdicts[name] = "proved" if sat(lambda: goal(k)) else "refuted"
        elif sat(lambda: goal(k)):
            verdicts[name] = "refuted"
        elif mode == "plain" or sat(lambda: antecedent(k)):
            verdicts[name] = "proved"
        else:
            verdicts[name] = "proved vacuously"
    return verdicts, times

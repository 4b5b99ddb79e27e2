#!/usr/bin/env python3
"""Benchmark peer: the nationwide Secure Communities model as an answer-set program.

    .venv/bin/python benches/peers/clingo_peer.py FACTS.json

FACTS.json is `flowproof gen nationwide --counties N --seed S --format json`
(with `--varied`, the program of clingo_varied.py is solved instead). The
rules of the model (those `flow_text` in src/generate.rs writes) are hard-coded in
PROGRAM below, one ASP rule per flowproof rule; only the agencies and the assumed
facts come from the JSON. Prints one JSON object:

    {"verdicts": {claim: "proved" | "refuted" | "proved vacuously"}, "seconds": s,
     "phases": {...}}

Encoding
--------
* Every ground param (and every opt-out applied to its agency) is a choice atom, so
  the answer sets are exactly the scenarios.
* `reach(D, O, N)` is defined by one rule per collect / flow / derive. Answer-set
  semantics is already a least fixpoint: the match cycle FBI_CJIS -> state ->
  FBI_CJIS (via `audits(s)`) cannot support itself, because clasp's unfounded-set
  check rejects self-supporting loops. No ranks are needed.
* `blocked(D, O, X, Y)`: the flow instance X -> Y of data D is blocked for origin O.
  An opt-out of agency A covers origins `within(O, A)` (O is A or inside A).
* Assumptions are integrity constraints.
* Per claim, `goal(Name, X)`: the instance X of the claim's leading variable
  violates an `always` claim (its body is false there) or witnesses a `possible`
  claim; `ante(Name, X)`: the antecedent of an `always forall xs. A => B` holds for
  X (for vacuity). A disjunctive body gets one goal atom per disjunct.

Solving strategy: the program is ground ONCE (grounding is identical for every
question and is about half of the time). Each question is switched on by an
external atom `query(Kind, Name)` with the constraint `:- query(K, N), not K(N, _).`;
for each question exactly that external is set true and clasp solves again,
keeping what it learned in earlier calls (multi-shot solving). Externals, unlike
assumptions on ordinary atoms, are frozen, so clasp's preprocessing cannot
eliminate them between calls. Questions: admissibility (no query), then per claim
the goal, and for an `always` claim whose goal is unsatisfiable its antecedent.

One domain heuristic (`#heuristic ... [1, true]`, with --heuristic=Domain) makes
clasp try the instances of the question asked first, each set true. Without it,
refuting a goal over N counties was quadratic: clasp assigns thousands of unrelated
params between two conflicts (5.6 million choices for 2,000 conflicts at 1,000
counties, 5.5 s; every --configuration preset behaved alike); with it each
instance costs one choice and one conflict (0.002 s for the same question).
"""

import time

T0 = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

import clingo  # noqa: E402

# (name, mode) in file order; mode "always" claims all have the shape
# `forall xs. A => B` and get a vacuity question.
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

# Agencies: counties are c(I), states s(J), the federal agencies constants.
PROGRAM = r"""
% ---------------------------------------------------------------- agencies
% county(C). state(S). in(C, S) (C is declared `in` S): from the facts.
federal(fbi_cjis; dhs_ident; ice_lesc; ice_fieldoffice).
agency(X) :- federal(X).
agency(X) :- state(X).
agency(X) :- county(X).
% within(O, A): O is A or declared inside A (transitively through `in`)
within(X, X) :- agency(X).
within(X, A) :- in(X, P), within(P, A).

% ---------------------------------------------------------------- params: free booleans
{ activated(C) } :- county(C).
{ removal_granted(C) } :- county(C).
{ ident_match(C) } :- county(C).
{ lodges_detainer(C) } :- county(C).
{ sib_relays_results(S) } :- state(S).
{ audits(S) } :- state(S).
{ moa_exit_honoured }.
{ results_optout_honoured }.
% an opt-out declares a param of the same name
{ county_requests_removal(C) } :- county(C).
{ state_ends_moa(S) } :- state(S).
{ decline_results(C) } :- county(C).

% ---------------------------------------------------------------- opt-outs
% optout county_requests_removal(c: county) when removal_granted(c)
%   blocks fingerprints: FBI_CJIS -> DHS_IDENT
blocked(fingerprints, O, fbi_cjis, dhs_ident) :-
    county_requests_removal(A), removal_granted(A), within(O, A).
% optout state_ends_moa(s: state) when moa_exit_honoured
%   blocks fingerprints: FBI_CJIS -> DHS_IDENT
blocked(fingerprints, O, fbi_cjis, dhs_ident) :-
    state_ends_moa(A), moa_exit_honoured, within(O, A).
% optout decline_results(c: county) when results_optout_honoured
%   blocks match: parent(c) -> c   blocks iar: parent(c) -> c
blocked(match, O, P, A) :- decline_results(A), results_optout_honoured, in(A, P), within(O, A).
blocked(iar, O, P, A)   :- decline_results(A), results_optout_honoured, in(A, P), within(O, A).

% ---------------------------------------------------------------- reachability
% collect fingerprints at (c: county)
reach(fingerprints, C, C) :- county(C).
% flow fingerprints: (c: county) -> parent(c)
reach(fingerprints, O, P) :- reach(fingerprints, O, C), county(C), in(C, P).
% flow fingerprints: (s: state) -> FBI_CJIS
reach(fingerprints, O, fbi_cjis) :- reach(fingerprints, O, S), state(S).
% flow fingerprints: FBI_CJIS -> DHS_IDENT when activated(origin)
reach(fingerprints, O, dhs_ident) :- reach(fingerprints, O, fbi_cjis), activated(O),
    not blocked(fingerprints, O, fbi_cjis, dhs_ident).
% derive match from fingerprints at DHS_IDENT when ident_match(origin)
reach(match, O, dhs_ident) :- reach(fingerprints, O, dhs_ident), ident_match(O).
% flow match: DHS_IDENT -> FBI_CJIS
reach(match, O, fbi_cjis) :- reach(match, O, dhs_ident).
% flow match: FBI_CJIS -> parent(origin)
reach(match, O, P) :- reach(match, O, fbi_cjis), in(O, P).
% flow match: (s: state) -> FBI_CJIS when audits(s)          (the cycle)
reach(match, O, fbi_cjis) :- reach(match, O, S), state(S), audits(S).
% flow match: parent(origin) -> origin when sib_relays_results(parent(origin))
reach(match, O, O) :- reach(match, O, P), in(O, P), sib_relays_results(P),
    not blocked(match, O, P, O).
% derive iaq from match at DHS_IDENT
reach(iaq, O, dhs_ident) :- reach(match, O, dhs_ident).
% flow iaq: DHS_IDENT -> ICE_LESC
reach(iaq, O, ice_lesc) :- reach(iaq, O, dhs_ident).
% derive iar from iaq at ICE_LESC
reach(iar, O, ice_lesc) :- reach(iaq, O, ice_lesc).
% flow iar: ICE_LESC -> ICE_FieldOffice
reach(iar, O, ice_fieldoffice) :- reach(iar, O, ice_lesc).
% flow iar: ICE_LESC -> FBI_CJIS
reach(iar, O, fbi_cjis) :- reach(iar, O, ice_lesc).
% flow iar: FBI_CJIS -> parent(origin)
reach(iar, O, P) :- reach(iar, O, fbi_cjis), in(O, P).
% flow iar: parent(origin) -> origin
reach(iar, O, O) :- reach(iar, O, P), in(O, P), not blocked(iar, O, P, O).
% derive detainer from iar at ICE_FieldOffice when lodges_detainer(origin)
reach(detainer, O, ice_fieldoffice) :- reach(iar, O, ice_fieldoffice), lodges_detainer(O).
% flow detainer: ICE_FieldOffice -> origin
reach(detainer, O, O) :- reach(detainer, O, ice_fieldoffice).

% ---------------------------------------------------------------- assumptions
% assume !moa_exit_honoured;  assume results_optout_honoured;
:- moa_exit_honoured.
:- not results_optout_honoured.
% assume activated(C); assume !removal_granted(C); assume sib_relays_results(S);
:- assume_activated(C), not activated(C).
:- assume_never_removed(C), removal_granted(C).
:- assume_relays(S), not sib_relays_results(S).

% ---------------------------------------------------------------- claims
% goal(Name, X): the instance X of the claim's leading variable is a violation of an
% `always` claim or a witness of a `possible` claim; ante(Name, X): the antecedent of
% an `always forall xs. A => B` holds for X. Where the body is a disjunction, each
% disjunct gets its own atom (X = (C, Part)), so every goal atom has exactly one rule
% and deciding it true forces its whole body (see the heuristic below).

% always forall c: county. county_requests_removal(c) => !reaches(fingerprints of c, DHS_IDENT)
ante(removal_request_keeps_prints_from_ident, C) :- county_requests_removal(C).
goal(removal_request_keeps_prints_from_ident, C) :-
    county_requests_removal(C), reach(fingerprints, C, dhs_ident).

% always forall c: county. county_requests_removal(c) && removal_granted(c)
%   => !reaches(fingerprints of c, DHS_IDENT)
ante(granted_removal_keeps_prints_from_ident, C) :- county_requests_removal(C), removal_granted(C).
goal(granted_removal_keeps_prints_from_ident, C) :-
    county_requests_removal(C), removal_granted(C), reach(fingerprints, C, dhs_ident).

% possible exists c: county. activated(c) && reaches(fingerprints of c, FBI_CJIS)
%   && !reaches(fingerprints of c, DHS_IDENT)
goal(program_is_voluntary, C) :- county(C), activated(C),
    reach(fingerprints, C, fbi_cjis), not reach(fingerprints, C, dhs_ident).

% always forall c: county. decline_results(c) => !reaches(match of c, c) && !reaches(iar of c, c)
ante(declining_stops_results, C) :- decline_results(C).
goal(declining_stops_results, (C, match)) :- decline_results(C), reach(match, C, C).
goal(declining_stops_results, (C, iar)) :- decline_results(C), reach(iar, C, C).

% always forall c: county. reaches(iar of c, ICE_FieldOffice) => reaches(fingerprints of c, DHS_IDENT)
ante(ice_learns_only_from_ident, C) :- county(C), reach(iar, C, ice_fieldoffice).
goal(ice_learns_only_from_ident, C) :- county(C), reach(iar, C, ice_fieldoffice),
    not reach(fingerprints, C, dhs_ident).

% always forall c: county. reaches(detainer of c, c) => ident_match(c) && activated(c)
ante(detainer_only_after_match, C) :- county(C), reach(detainer, C, C).
goal(detainer_only_after_match, (C, ident_match)) :- county(C), reach(detainer, C, C), not ident_match(C).
goal(detainer_only_after_match, (C, activated)) :- county(C), reach(detainer, C, C), not activated(C).

% always forall s: state. state_ends_moa(s) && moa_exit_honoured =>
%   forall c: county. parent(c) == s => !reaches(fingerprints of c, DHS_IDENT)
ante(moa_exit_shields_a_states_counties, S) :- state(S), state_ends_moa(S), moa_exit_honoured.
goal(moa_exit_shields_a_states_counties, S) :- state(S), state_ends_moa(S), moa_exit_honoured,
    county(C), in(C, S), reach(fingerprints, C, dhs_ident).

% possible exists c: county. decline_results(c) && reaches(detainer of c, c)
goal(decliner_can_get_a_detainer, C) :- county(C), decline_results(C), reach(detainer, C, C).

% ---------------------------------------------------------------- questions
claim(removal_request_keeps_prints_from_ident; granted_removal_keeps_prints_from_ident;
      program_is_voluntary; declining_stops_results; ice_learns_only_from_ident;
      detainer_only_after_match; moa_exit_shields_a_states_counties;
      decliner_can_get_a_detainer).
#external query(goal, N) : claim(N).
#external query(ante, N) : claim(N).
:- query(goal, N), not goal(N, _).
:- query(ante, N), not ante(N, _).
% Search: try the instances of the question asked first, each one true. Without this
% clasp decides thousands of unrelated params between two conflicts, and refuting
% N instances one conflict each costs N * N choices; with it, one choice each.
#heuristic goal(N, X) : query(goal, N). [1, true]
#heuristic ante(N, X) : query(ante, N). [1, true]
#show.
"""


def facts_text(facts):
    """The instance as ASP facts."""
    out = []
    for j in range(len(facts["states"])):
        out.append(f"state(s({j})).")
    for i, (_name, s) in enumerate(facts["counties"]):
        out.append(f"county(c({i})). in(c({i}),s({s})).")
    for i in facts["activated"]:
        out.append(f"assume_activated(c({i})).")
    for i in facts["never_removed"]:
        out.append(f"assume_never_removed(c({i})).")
    for j in facts["relaying"]:
        out.append(f"assume_relays(s({j})).")
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        print("usage: clingo_peer.py FACTS.json", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        facts = json.load(f)

    t_load = time.perf_counter()
    if facts.get("shape") == "varied":
        return main_varied(facts, t_load)
    ctl = clingo.Control(["--models=1", "--warn=none", "--heuristic=Domain"])
    ctl.add("base", [], facts_text(facts))
    ctl.add("base", [], PROGRAM)
    ctl.ground([("base", [])])
    t_ground = time.perf_counter()

    queries = {}
    for name, _ in CLAIMS:
        for kind in ("goal", "ante"):
            q = clingo.Function("query", [clingo.Function(kind), clingo.Function(name)])
            queries[(kind, name)] = q
            ctl.assign_external(q, False)

    def sat(kind=None, name=None):
        """Is there an answer set (admissible scenario) with `kind(name)`?"""
        q = queries.get((kind, name))
        if q is not None:
            ctl.assign_external(q, True)
        result = ctl.solve()
        if q is not None:
            ctl.assign_external(q, False)
        if result.unknown:
            raise RuntimeError(f"clingo gave no answer for {kind}({name})")
        return result.satisfiable

    if not sat():
        print(json.dumps({"error": "the assumptions are contradictory"}))
        return 2

    verdicts = {}
    for name, mode in CLAIMS:
        if mode == "possible":
            verdicts[name] = "proved" if sat("goal", name) else "refuted"
        elif sat("goal", name):
            verdicts[name] = "refuted"
        elif sat("ante", name):
            verdicts[name] = "proved"
        else:
            verdicts[name] = "proved vacuously"
    t_end = time.perf_counter()

    print(json.dumps({
        "verdicts": verdicts,
        "seconds": round(t_end - T0, 4),
        "phases": {
            "start_and_read": round(t_load - T0, 4),
            "ground": round(t_ground - t_load, 4),
            "solve": round(t_end - t_ground, 4),
        },
    }))
    return 0


def main_varied(facts, t_load):
    """The varied nation (`gen nationwide --varied`): see clingo_varied.py."""
    import clingo_varied

    marks = {}
    verdicts = clingo_varied.solve(facts, lambda phase: marks.setdefault(phase, time.perf_counter()))
    if verdicts is None:
        print(json.dumps({"error": "the assumptions are contradictory"}))
        return 2
    t_end = time.perf_counter()
    t_ground = marks.get("ground", t_load)
    print(json.dumps({
        "verdicts": verdicts,
        "seconds": round(t_end - T0, 4),
        "phases": {
            "start_and_read": round(t_load - T0, 4),
            "ground": round(t_ground - t_load, 4),
            "solve": round(t_end - t_ground, 4),
        },
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

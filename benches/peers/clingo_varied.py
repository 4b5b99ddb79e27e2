"""The varied nation (`flowproof gen nationwide --varied`) as an answer-set program.

Used by clingo_peer.py when the facts say `"shape": "varied"`. The rules of the
model (those `varied_flow_text` in src/generate/varied_text.rs writes) are
hard-coded in PROGRAM, one ASP rule per flowproof rule; the agencies, the states'
laws, the counties' rules of their own and the agencies the named claims are about
come from the JSON. The encoding and the solving strategy are clingo_peer.py's:
choice atoms for params, `reach/3` as the least fixpoint, assumptions as
constraints, one grounding, one external per question, a domain heuristic.

An opt-out that `covers all` does not depend on the origin, so it is
`blocked_all(D, X, Y)` (one atom per flow instance) rather than one atom per origin.
"""

import clingo

# Agencies: counties c(I), cities t(K), states s(J), the federal agencies constants.
# Claims are k(0) ... k(11), in file order (their names come from the facts).
PROGRAM = r"""
federal(fbi_cjis; dhs_ident; ice_fieldoffice).
origin(X) :- county(X).
origin(X) :- city(X).
agency(X) :- federal(X).
agency(X) :- state(X).
agency(X) :- origin(X).
within(X, X) :- agency(X).
within(X, A) :- in(X, P), within(P, A).

% ---------------------------------------------------------------- params
{ moa_exit_honoured }.
{ moa_signed(S); withholding_in_force(S); shares_history(S) } :- state(S).
{ optout_honoured(C); g287_active(C); judicial_warrant(C); serious_felony(C);
  sanctuary_ordinance(C) } :- county(C).
% opt-outs declare params of their names
{ state_ends_moa(S); moa_pending(S); withholds_prints(S); trust_act(S) } :- state(S).
{ county_optout(C) } :- county(C).

% ---------------------------------------------------------------- opt-outs
% optout state_ends_moa(s: state) when moa_exit_honoured blocks fingerprints: FBI_CJIS -> DHS_IDENT
blocked(fingerprints, O, fbi_cjis, dhs_ident) :-
    state(A), state_ends_moa(A), moa_exit_honoured, within(O, A), origin(O).
% optout moa_pending(s: state) when !moa_signed(s) blocks fingerprints: FBI_CJIS -> DHS_IDENT
blocked(fingerprints, O, fbi_cjis, dhs_ident) :-
    state(A), moa_pending(A), not moa_signed(A), within(O, A), origin(O).
% optout withholds_prints(s: state) when withholding_in_force(s) blocks fingerprints: s -> FBI_CJIS
blocked(fingerprints, O, A, fbi_cjis) :-
    state(A), withholds_prints(A), withholding_in_force(A), within(O, A), origin(O).
% optout trust_act(s: state) covers all
%   blocks release_notice: (c: county) -> ICE_FieldOffice when parent(c) == s && !judicial_warrant(c)
blocked_all(release_notice, C, ice_fieldoffice) :-
    county(C), in(C, S), trust_act(S), not judicial_warrant(C).
% optout county_optout(c: county) when optout_honoured(c) blocks fingerprints: FBI_CJIS -> DHS_IDENT
blocked(fingerprints, O, fbi_cjis, dhs_ident) :-
    county(A), county_optout(A), optout_honoured(A), within(O, A), origin(O).

% ---------------------------------------------------------------- reachability
% collect fingerprints at (c: county); collect fingerprints at (t: city)
reach(fingerprints, O, O) :- origin(O).
% flow fingerprints: (t: city) -> parent(t);  (c: county) -> parent(c)
reach(fingerprints, O, P) :- reach(fingerprints, O, X), origin(X), in(X, P).
% flow fingerprints: (s: state) -> FBI_CJIS
reach(fingerprints, O, fbi_cjis) :- reach(fingerprints, O, S), state(S),
    not blocked(fingerprints, O, S, fbi_cjis).
% flow fingerprints: FBI_CJIS -> DHS_IDENT
reach(fingerprints, O, dhs_ident) :- reach(fingerprints, O, fbi_cjis),
    not blocked(fingerprints, O, fbi_cjis, dhs_ident).
% per 287(g) county X: flow fingerprints: X -> ICE_FieldOffice when g287_active(X)
reach(fingerprints, O, ice_fieldoffice) :- reach(fingerprints, O, C), g287(C), g287_active(C).
% derive criminal_history from fingerprints at FBI_CJIS
reach(criminal_history, O, fbi_cjis) :- reach(fingerprints, O, fbi_cjis).
% flow criminal_history: FBI_CJIS -> parent(origin)
reach(criminal_history, O, P) :- reach(criminal_history, O, fbi_cjis), in(O, P).
% flow criminal_history: (s: state) -> FBI_CJIS when shares_history(s)
reach(criminal_history, O, fbi_cjis) :- reach(criminal_history, O, S), state(S), shares_history(S).
% flow criminal_history: parent(origin) -> origin
reach(criminal_history, O, O) :- reach(criminal_history, O, P), in(O, P).
% derive match from fingerprints at DHS_IDENT; flow match: DHS_IDENT -> ICE_FieldOffice
reach(match, O, dhs_ident) :- reach(fingerprints, O, dhs_ident).
reach(match, O, ice_fieldoffice) :- reach(match, O, dhs_ident).
% derive match from fingerprints at ICE_FieldOffice
reach(match, O, ice_fieldoffice) :- reach(fingerprints, O, ice_fieldoffice).
% derive detainer from match at ICE_FieldOffice; flow detainer: ICE_FieldOffice -> origin
reach(detainer, O, ice_fieldoffice) :- reach(match, O, ice_fieldoffice).
reach(detainer, O, O) :- reach(detainer, O, ice_fieldoffice).
% derive release_notice from detainer at (c: county); at (t: city)
reach(release_notice, O, X) :- reach(detainer, O, X), origin(X).
% flow release_notice: (t: city) -> parent(t)
reach(release_notice, O, P) :- reach(release_notice, O, T), city(T), in(T, P).
% flow release_notice: (c: county) -> ICE_FieldOffice when !sanctuary_ordinance(c)
reach(release_notice, O, ice_fieldoffice) :- reach(release_notice, O, C), county(C),
    not sanctuary_ordinance(C), not blocked_all(release_notice, C, ice_fieldoffice).
% per ordinance county X: flow release_notice: X -> ICE_FieldOffice when serious_felony(X)
reach(release_notice, O, ice_fieldoffice) :- reach(release_notice, O, C), ordinance(C),
    serious_felony(C), not blocked_all(release_notice, C, ice_fieldoffice).

% ---------------------------------------------------------------- assumptions
:- moa_exit_honoured.
:- trust(S), not trust_act(S).
:- state(S), not trust(S), trust_act(S).
:- withholding(S), not withholds_prints(S).
:- state(S), not withholding(S), withholds_prints(S).
:- state(S), not pending(S), not moa_signed(S).
:- pending(S), moa_signed(S).
:- pending(S), not moa_pending(S).
:- ended(S), not state_ends_moa(S).
:- honoured(C), not county_optout(C).
:- honoured(C), not optout_honoured(C).
:- refused(C), not county_optout(C).
:- refused(C), optout_honoured(C).
:- ordinance(C), not sanctuary_ordinance(C).

% ---------------------------------------------------------------- claims
% goal(K, X): instance X violates `always` claim K or witnesses `possible` claim K;
% ante(K, X): the antecedent of `always forall xs. A => B` holds for X.

% k(0) always forall c: county. county_optout(c) => !reaches(fingerprints of c, DHS_IDENT)
ante(k(0), C) :- county(C), county_optout(C).
goal(k(0), C) :- county(C), county_optout(C), reach(fingerprints, C, dhs_ident).
% k(1) ... county_optout(c) && optout_honoured(c) => !reaches(fingerprints of c, DHS_IDENT)
ante(k(1), C) :- county(C), county_optout(C), optout_honoured(C).
goal(k(1), C) :- county(C), county_optout(C), optout_honoured(C), reach(fingerprints, C, dhs_ident).
% k(2) forall t: city. county_optout(parent(t)) && optout_honoured(parent(t)) => !reaches(fingerprints of t, DHS_IDENT)
ante(k(2), T) :- city(T), in(T, C), county_optout(C), optout_honoured(C).
goal(k(2), T) :- city(T), in(T, C), county_optout(C), optout_honoured(C), reach(fingerprints, T, dhs_ident).
% k(3) forall s: state. !moa_signed(s) => forall c: county. parent(c) == s => !reaches(fingerprints of c, DHS_IDENT)
ante(k(3), S) :- state(S), not moa_signed(S).
goal(k(3), C) :- county(C), in(C, S), not moa_signed(S), reach(fingerprints, C, dhs_ident).
% k(4) forall s: state. state_ends_moa(s) && moa_exit_honoured => forall c ... (as k(3))
ante(k(4), S) :- state(S), state_ends_moa(S), moa_exit_honoured.
goal(k(4), C) :- county(C), in(C, S), state_ends_moa(S), moa_exit_honoured,
    reach(fingerprints, C, dhs_ident).
% k(5) forall c: county. trust_act(parent(c)) && !judicial_warrant(c) => !reaches(release_notice of c, ICE_FieldOffice)
ante(k(5), C) :- county(C), in(C, S), trust_act(S), not judicial_warrant(C).
goal(k(5), C) :- county(C), in(C, S), trust_act(S), not judicial_warrant(C),
    reach(release_notice, C, ice_fieldoffice).
% k(6) possible exists c: county. (the body of k(5)'s violation)
goal(k(6), C) :- county(C), in(C, S), trust_act(S), not judicial_warrant(C),
    reach(release_notice, C, ice_fieldoffice).
% k(7) forall c: county. reaches(match of c, ICE_FieldOffice) => reaches(fingerprints of c, DHS_IDENT)
ante(k(7), C) :- county(C), reach(match, C, ice_fieldoffice).
goal(k(7), C) :- county(C), reach(match, C, ice_fieldoffice), not reach(fingerprints, C, dhs_ident).
% k(8) forall c: county. reaches(fingerprints of c, FBI_CJIS) => reaches(criminal_history of c, c)
ante(k(8), C) :- county(C), reach(fingerprints, C, fbi_cjis).
goal(k(8), C) :- county(C), reach(fingerprints, C, fbi_cjis), not reach(criminal_history, C, C).
% k(9) always !reaches(fingerprints of X, ICE_FieldOffice), X the named honoured county
goal(k(9), X) :- named_honoured(X), reach(fingerprints, X, ice_fieldoffice).
% k(10) always forall c: county. parent(c) == W => reaches(fingerprints of c, FBI_CJIS)
ante(k(10), C) :- named_state(W), county(C), in(C, W).
goal(k(10), C) :- named_state(W), county(C), in(C, W), not reach(fingerprints, C, fbi_cjis).
% k(11) possible reaches(release_notice of Y, ICE_FieldOffice), Y the named ordinance county
goal(k(11), Y) :- named_ordinance(Y), reach(release_notice, Y, ice_fieldoffice).

#external query(goal, K) : claim(K).
#external query(ante, K) : claim(K).
:- query(goal, K), not goal(K, _).
:- query(ante, K), not ante(K, _).
#heuristic goal(K, X) : query(goal, K). [1, true]
#heuristic ante(K, X) : query(ante, K). [1, true]
#show.
"""

# Per claim index: "possible", "always" (with a vacuity question) or "plain" (an
# `always` claim that is no implication, so never vacuous).
MODES = ["always"] * 6 + ["possible", "always", "always", "plain", "always", "possible"]


def facts_text(facts):
    out = []
    for j, p in enumerate(facts["state_policies"]):
        out.append(f"state(s({j})).")
        if p["trust_act"]:
            out.append(f"trust(s({j})).")
        if p["withholds_prints"]:
            out.append(f"withholding(s({j})).")
        if not p["moa_signed"]:
            out.append(f"pending(s({j})).")
        if p["ended_moa"]:
            out.append(f"ended(s({j})).")
    for i, ((_name, s), p) in enumerate(zip(facts["counties"], facts["county_policies"])):
        out.append(f"county(c({i})). in(c({i}),s({s})).")
        if p["optout"] == "honoured":
            out.append(f"honoured(c({i})).")
        elif p["optout"] == "refused":
            out.append(f"refused(c({i})).")
        if p["g287"]:
            out.append(f"g287(c({i})).")
        if p["ordinance"]:
            out.append(f"ordinance(c({i})).")
    for k, (_name, c) in enumerate(facts["cities"]):
        out.append(f"city(t({k})). in(t({k}),c({c})).")
    named = facts["named"]
    if facts["counties"]:
        out.append(f"named_honoured(c({named['honoured_county']})).")
        out.append(f"named_state(s({named['state']})).")
        out.append(f"named_ordinance(c({named['ordinance_county']})).")
    out.append(" ".join(f"claim(k({k}))." for k in range(len(facts["claims"]))))
    return "\n".join(out)


def solve(facts, timer):
    """The verdicts, by claim name; `timer(phase)` marks the end of a phase."""
    ctl = clingo.Control(["--models=1", "--warn=none", "--heuristic=Domain"])
    ctl.add("base", [], facts_text(facts))
    ctl.add("base", [], PROGRAM)
    ctl.ground([("base", [])])
    timer("ground")
    names = [name for name, _mode in facts["claims"]]
    queries = {}
    for k in range(len(names)):
        for kind in ("goal", "ante"):
            q = clingo.Function("query", [clingo.Function(kind),
                                          clingo.Function("k", [clingo.Number(k)])])
            queries[(kind, k)] = q
            ctl.assign_external(q, False)

    def sat(kind=None, k=None):
        q = queries.get((kind, k))
        if q is not None:
            ctl.assign_external(q, True)
        result = ctl.solve()
        if q is not None:
            ctl.assign_external(q, False)
        if result.unknown:
            raise RuntimeError(f"clingo gave no answer for {kind}({k})")
        return result.satisfiable

    if not sat():
        return None
    verdicts = {}
    for k, name in enumerate(names):
        mode = MODES[k]
        if mode == "possible":
            verdicts[name] = "proved" if sat("goal", k) else "refuted"
        elif sat("goal", k):
            verdicts[name] = "refuted"
        elif mode == "plain" or sat("ante", k):
            verdicts[name] = "proved"
        else:
            verdicts[name] = "proved vacuously"
    return verdicts

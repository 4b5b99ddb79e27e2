//! The checker: the contract's example builds the expected model; kind rules for
//! params (including through `origin`) follow the contract.

use std::path::Path;

use flowproof::check::{Checked, check_file, check_text};
use flowproof::model::{Endpoint, FormulaKind, Term};

fn check(text: &str) -> Checked {
    check_text(Path::new("test.flow"), text)
}

fn codes(checked: &Checked) -> Vec<String> {
    checked.diagnostics.iter().map(|d| d.code()).collect()
}

const HEAD: &str = "policy \"t\";\nkind state; kind county; kind federal;\nagency CA: state;\nagency SF: county in CA;\nagency SC: county in CA;\nagency FBI: federal;\ndata prints; data match;\n";

#[test]
fn the_contract_example_checks_cleanly_into_the_expected_model() {
    let checked = check_file(Path::new("policies/examples/contract-example.flow"));
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let model = checked.model.expect("a model");
    let policy = model.policy.as_ref().expect("a header");
    assert_eq!(policy.name, "Secure Communities");
    assert_eq!(policy.version.as_deref(), Some("2011-mandatory"));
    assert_eq!(model.agencies.len(), 6);
    assert_eq!(model.kinds.len(), 3);
    assert_eq!(model.sources.len(), 3);
    assert_eq!(model.flows.len(), 7);
    assert_eq!(model.collects.len(), 1);
    assert_eq!(model.derives.len(), 1);
    assert_eq!(model.assumes.len(), 1);
    assert_eq!(model.claims.len(), 2);
    let sf = model
        .agencies
        .iter()
        .find(|a| a.name == "SanFrancisco")
        .expect("SanFrancisco");
    assert_eq!(model.agency(sf.parent.expect("a parent")).name, "CA");
    // the opt-out declares the param `decline_results(c)` and links back to it
    let optout = &model.optouts[0];
    let param = model.param(optout.param);
    assert_eq!(param.name, "decline_results");
    assert_eq!(param.optout, Some(flowproof::model::OptoutId(0)));
    assert_eq!(param.args.len(), 1);
    // `FBI -> DHS when activated(origin)` keeps `origin` in its guard
    let guarded = model
        .flows
        .iter()
        .find(|f| f.guard.is_some())
        .expect("a guarded flow");
    let guard = guarded.guard.as_ref().expect("guard");
    assert!(matches!(&guard.kind, FormulaKind::Param(_, args) if args == &[Term::Origin]));
    assert_eq!(model.claims[0].name, "optout_shields_prints");
    assert_eq!(model.claims[0].info.cites.len(), 1);
}

#[test]
fn declarations_are_order_independent() {
    let checked = check(
        "policy \"t\";\nflow prints: SF -> CA;\nagency SF: county in CA;\nagency CA: state;\nkind county; kind state;\ndata prints;\ncollect prints at SF;",
    );
    assert!(!checked.has_errors(), "{:?}", codes(&checked));
}

#[test]
fn binders_scope_over_the_right_endpoint_and_guard() {
    let checked = check(&format!(
        "{HEAD}param active(c: county);\ncollect prints at (c: county);\nflow prints: (c: county) -> parent(c) when active(c);"
    ));
    assert!(!checked.has_errors(), "{:?}", codes(&checked));
    let model = checked.model.expect("model");
    let flow = &model.flows[0];
    assert!(matches!(flow.from, Endpoint::Bind(_)));
    assert!(matches!(&flow.to, Endpoint::Term(Term::Parent(_))));
}

#[test]
fn a_param_on_origin_checks_against_where_the_data_originates() {
    // prints originate at counties only: `active(origin)` is fine
    let ok = check(&format!(
        "{HEAD}param active(c: county);\ncollect prints at (c: county);\nflow prints: (c: county) -> FBI when active(origin);"
    ));
    assert!(!ok.has_errors(), "{:?}", codes(&ok));
    // once prints can also originate at a state, `active(origin)` can be a state
    let bad = check(&format!(
        "{HEAD}param active(c: county);\ncollect prints at (c: county);\ncollect prints at CA;\nflow prints: (c: county) -> FBI when active(origin);"
    ));
    assert_eq!(codes(&bad), ["flowproof::check::kind_mismatch"]);
    // derived data inherits the origins of what it is derived from
    let derived = check(&format!(
        "{HEAD}param active(c: county);\ncollect prints at CA;\nderive match from prints at FBI;\nflow match: FBI -> CA when active(origin);"
    ));
    assert_eq!(codes(&derived), ["flowproof::check::kind_mismatch"]);
}

#[test]
fn a_param_on_parent_of_a_variable_uses_the_parents_kind() {
    let ok = check(&format!(
        "{HEAD}param state_ok(s: state);\ncollect prints at (c: county);\nflow prints: (c: county) -> parent(c) when state_ok(parent(c));"
    ));
    assert!(!ok.has_errors(), "{:?}", codes(&ok));
    let bad = check(&format!(
        "{HEAD}param active(c: county);\ncollect prints at (c: county);\nflow prints: (c: county) -> parent(c) when active(parent(c));"
    ));
    assert_eq!(codes(&bad), ["flowproof::check::kind_mismatch"]);
}

#[test]
fn the_checker_reports_every_error_not_just_the_first() {
    let checked = check(&format!(
        "{HEAD}flow printz: SF -> CA;\nflow prints: SF -> CAA;\nclaim c: always reaches(prints of SF, FBII);\nclaim d: possible nosuch(SF);"
    ));
    assert_eq!(codes(&checked).len(), 4, "{:?}", codes(&checked));
}

#[test]
fn quantified_variables_shadow_and_go_out_of_scope() {
    let checked = check(&format!(
        "{HEAD}param active(c: county);\nclaim q: always (forall c: county. active(c)) && active(c);"
    ));
    // the second `c` is outside the quantifier: unknown
    assert_eq!(codes(&checked), ["flowproof::check::unknown_name"]);
}

#[test]
fn unused_sources_empty_flows_and_self_loops_warn() {
    let checked = check(&format!(
        "{HEAD}source s {{ title = \"t\"; }}\ncollect prints at (c: county);\nflow prints: CA -> parent(CA);\nflow prints: origin -> SF;"
    ));
    assert!(!checked.has_errors());
    let mut codes = codes(&checked);
    codes.sort();
    assert_eq!(
        codes,
        [
            "flowproof::lint::empty_flow",
            "flowproof::lint::self_loop",
            "flowproof::lint::unused_source"
        ]
    );
}

#[test]
fn a_statement_about_data_that_never_originates_where_it_says_warns() {
    // prints are collected only at counties: "prints of FBI" never exists, whatever the
    // policy says, so the claim would be proved by construction
    let checked = check(&format!(
        "{HEAD}collect prints at (c: county);\nflow prints: (c: county) -> FBI;\n\
         claim fbi_keeps: always !reaches(prints of FBI, SF);\n\
         claim every_state: always forall s: state. !reaches(prints of s, FBI);\n\
         assume !reaches(match of SF, FBI);\n\
         claim fine: always forall c: county. reaches(prints of c, FBI);\n\
         claim parents: always forall c: county. !reaches(prints of parent(c), FBI);"
    ));
    assert!(!checked.has_errors());
    let warned: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code() == "flowproof::lint::never_originates")
        .map(|d| d.message())
        .collect();
    assert_eq!(
        warned,
        [
            "no `prints` ever originates at `FBI`, so this is false in every scenario",
            "no `prints` ever originates at any agency `s` can be, so this is false in every scenario",
            "no `prints` ever originates at any agency `parent(c)` can be, so this is false in every scenario",
            "no `match` ever originates at `SF`, so this is false in every scenario",
        ]
    );
}

#[test]
fn an_opt_out_clause_that_can_never_block_anything_warns() {
    // a county "refusing" to pass on the state's data: with `covers inside` it protects
    // only data of its own origin, and none of it ever reaches the state's hop; the same
    // clause with `covers all` can block the state's prints
    let checked = check(&format!(
        "{HEAD}collect prints at (c: county);\ncollect match at CA;\n\
         flow prints: (c: county) -> parent(c);\nflow prints: (s: state) -> FBI;\nflow match: CA -> FBI;\n\
         optout refuse(c: county) blocks match: CA -> FBI;\n\
         optout refuse_all(c: county) covers all blocks match: CA -> FBI;\n\
         optout own(c: county) blocks prints: parent(c) -> FBI;\n\
         optout nowhere(s: state) blocks prints: s -> SF;\n"
    ));
    assert!(!checked.has_errors());
    let warned: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code() == "flowproof::lint::clause_never_blocks")
        .map(|d| d.message())
        .collect();
    // the first clause (no county's match) and the last (no flow from a state to SF)
    let never = |data: &str| {
        format!(
            "this `blocks` clause can never block anything: no `{data}` the opt-out covers ever reaches its source by a flow it names"
        )
    };
    assert_eq!(
        warned,
        [never("match"), never("prints")],
        "{:?}",
        codes(&checked)
    );
}

//! The varied nation as a policy file. Input: a [`VariedNation`]; output: its `.flow`
//! text (version-1 syntax: labels, a `covers all` opt-out, a guarded `blocks` clause).

use std::fmt::Write;

use super::varied::{CountyOptout, VariedNation};

/// The rules every varied nation shares; the rules and facts of particular states and
/// counties follow them.
const RULES: &str = r#"data fingerprints "fingerprints taken at booking";
data criminal_history "criminal history (rap sheet)";
data match "IDENT or ICE match";
data detainer "detainer (Form I-247)";
data release_notice "release-date notice";

param moa_exit_honoured "ICE honours a state's ending its MOA";
param moa_signed(s: state) "{s} signed its MOA with ICE";
param withholding_in_force(s: state) "the condition of {s}'s withholding law holds";
param shares_history(s: state) "{s}'s bureau shares its records back with the FBI";
param optout_honoured(c: county) "ICE honours {c}'s opt-out";
param g287_active(c: county) "{c}'s 287(g) officers check prints with ICE";
param judicial_warrant(c: county) "a judge signed a warrant for the person {c} holds";
param serious_felony(c: county) "the person {c} holds is charged with a serious felony";
param sanctuary_ordinance(c: county) "{c} has a sanctuary ordinance";

optout state_ends_moa(s: state) "{s} ends its MOA"
  when moa_exit_honoured
  blocks fingerprints: FBI_CJIS -> DHS_IDENT
  cite generated;
optout moa_pending(s: state) "{s} is not activated yet"
  when !moa_signed(s)
  blocks fingerprints: FBI_CJIS -> DHS_IDENT
  cite generated;
optout withholds_prints(s: state) "{s}'s law withholding prints from the FBI"
  when withholding_in_force(s)
  blocks fingerprints: s -> FBI_CJIS
  cite generated;
optout trust_act(s: state) "{s}'s TRUST Act" covers all
  blocks release_notice: (c: county) -> ICE_FieldOffice when parent(c) == s && !judicial_warrant(c)
  cite generated note "binds the state's jails, whoever the notice is about";
optout county_optout(c: county) "{c} opts out"
  when optout_honoured(c)
  blocks fingerprints: FBI_CJIS -> DHS_IDENT
  cite generated;

collect fingerprints at (c: county) cite generated;
collect fingerprints at (t: city) cite generated;
flow fingerprints: (t: city) -> parent(t) cite generated;
flow fingerprints: (c: county) -> parent(c) cite generated;
flow fingerprints: (s: state) -> FBI_CJIS cite generated;
flow fingerprints: FBI_CJIS -> DHS_IDENT cite generated;
derive criminal_history from fingerprints at FBI_CJIS cite generated;
flow criminal_history: FBI_CJIS -> parent(origin) cite generated;
flow criminal_history: (s: state) -> FBI_CJIS when shares_history(s) cite generated;
flow criminal_history: parent(origin) -> origin cite generated;
derive match from fingerprints at DHS_IDENT cite generated;
flow match: DHS_IDENT -> ICE_FieldOffice cite generated;
derive match from fingerprints at ICE_FieldOffice cite generated note "a 287(g) officer's own check";
derive detainer from match at ICE_FieldOffice cite generated;
flow detainer: ICE_FieldOffice -> origin cite generated;
derive release_notice from detainer at (c: county) cite generated;
derive release_notice from detainer at (t: city) cite generated;
flow release_notice: (t: city) -> parent(t) cite generated;
flow release_notice: (c: county) -> ICE_FieldOffice when !sanctuary_ordinance(c) cite generated;

assume !moa_exit_honoured cite generated;
"#;

/// The claims that name no agency (see `FIXED_CLAIMS`).
const CLAIMS: &str = r#"
claim optout_keeps_prints_from_ident "A county that opts out keeps its prints from IDENT" cite generated:
  always forall c: county. county_optout(c) => !reaches(fingerprints of c, DHS_IDENT);
claim honoured_optout_keeps_prints_from_ident "An opt-out ICE honours keeps the county's prints from IDENT" cite generated:
  always forall c: county. county_optout(c) && optout_honoured(c) => !reaches(fingerprints of c, DHS_IDENT);
claim cities_share_their_countys_optout "A city's prints stay from IDENT when its county's opt-out is honoured" cite generated:
  always forall t: city. county_optout(parent(t)) && optout_honoured(parent(t)) => !reaches(fingerprints of t, DHS_IDENT);
claim pending_states_keep_prints_from_ident "A state not yet activated keeps its counties' prints from IDENT" cite generated:
  always forall s: state. !moa_signed(s) =>
    forall c: county. parent(c) == s => !reaches(fingerprints of c, DHS_IDENT);
claim moa_exit_shields_a_states_counties "Ending the MOA keeps a state's prints from IDENT" cite generated:
  always forall s: state. state_ends_moa(s) && moa_exit_honoured =>
    forall c: county. parent(c) == s => !reaches(fingerprints of c, DHS_IDENT);
claim trust_act_stops_notices_without_warrant "Under a TRUST Act no release notice goes to ICE without a warrant" cite generated:
  always forall c: county. trust_act(parent(c)) && !judicial_warrant(c) => !reaches(release_notice of c, ICE_FieldOffice);
claim notice_without_warrant_in_a_trust_state "Some county under a TRUST Act can notify ICE without a warrant" cite generated:
  possible exists c: county. trust_act(parent(c)) && !judicial_warrant(c) && reaches(release_notice of c, ICE_FieldOffice);
claim ice_learns_only_from_ident "ICE learns of a match only through IDENT" cite generated:
  always forall c: county. reaches(match of c, ICE_FieldOffice) => reaches(fingerprints of c, DHS_IDENT);
claim history_comes_home "A county whose prints reach the FBI gets the criminal history back" cite generated:
  always forall c: county. reaches(fingerprints of c, FBI_CJIS) => reaches(criminal_history of c, c);
"#;

/// The varied nation as a policy file.
pub fn varied_flow_text(n: &VariedNation) -> String {
    let mut out = String::with_capacity(4000 + n.counties.len() * 120);
    let _ = writeln!(
        out,
        "// Generated by `flowproof gen nationwide --varied --counties {c} --seed {s}`: a nationwide\n\
// model in the shape of Secure Communities where states and counties have rules of their\n\
// own, for benchmarks. Not a statement of any real policy.\n\
policy \"Secure Communities, nationwide, varied (generated)\" version \"{c} counties, seed {s}, varied\" date 2011-08-05;\n\n\
source generated {{ title = \"generated by flowproof gen nationwide --varied\"; }}\n\n\
kind state \"state identification bureau\";\nkind county \"county sheriff\";\nkind city \"city police\";\nkind federal;\n\n\
agency FBI_CJIS \"the FBI's CJIS\": federal;\nagency DHS_IDENT \"DHS's IDENT\": federal;\nagency ICE_FieldOffice \"ICE's field office\": federal;",
        c = n.counties.len(),
        s = n.seed,
    );
    for s in &n.states {
        let _ = writeln!(out, "agency {s}: state;");
    }
    for (c, s) in &n.counties {
        let _ = writeln!(out, "agency {c}: county in {};", n.states[*s]);
    }
    for (t, c) in &n.cities {
        let _ = writeln!(out, "agency {t}: city in {};", n.counties[*c].0);
    }
    out.push('\n');
    out.push_str(RULES);
    out.push_str("\n// the states' laws and agreements\n");
    for (s, p) in n.state_policies.iter().enumerate() {
        let name = &n.states[s];
        let not = |b: bool| if b { "" } else { "!" };
        let _ = writeln!(
            out,
            "assume {}trust_act({name}) cite generated;",
            not(p.trust_act)
        );
        let _ = writeln!(
            out,
            "assume {}withholds_prints({name}) cite generated;",
            not(p.withholds_prints)
        );
        let _ = writeln!(
            out,
            "assume {}moa_signed({name}) cite generated;",
            not(p.moa_signed)
        );
        if !p.moa_signed {
            let _ = writeln!(out, "assume moa_pending({name}) cite generated;");
        }
        if p.ended_moa {
            let _ = writeln!(out, "assume state_ends_moa({name}) cite generated;");
        }
    }
    out.push_str("\n// the counties' rules of their own\n");
    for (c, p) in n.county_policies.iter().enumerate() {
        let name = &n.counties[c].0;
        match p.optout {
            CountyOptout::Unknown => {}
            CountyOptout::Honoured => {
                let _ = writeln!(
                    out,
                    "assume county_optout({name}) && optout_honoured({name}) cite generated;"
                );
            }
            CountyOptout::Refused => {
                let _ = writeln!(
                    out,
                    "assume county_optout({name}) && !optout_honoured({name}) cite generated;"
                );
            }
        }
        if p.g287 {
            let _ = writeln!(
                out,
                "flow fingerprints: {name} -> ICE_FieldOffice when g287_active({name}) cite generated note \"287(g) agreement\";"
            );
        }
        if p.ordinance {
            let _ = writeln!(out, "assume sanctuary_ordinance({name}) cite generated;");
            let _ = writeln!(
                out,
                "flow release_notice: {name} -> ICE_FieldOffice when serious_felony({name}) cite generated note \"the ordinance's exception\";"
            );
        }
    }
    out.push_str(CLAIMS);
    if !n.counties.is_empty() {
        let named = n.named;
        let honoured = &n.counties[named.honoured_county].0;
        let state = &n.states[named.state];
        let ordinance = &n.counties[named.ordinance_county].0;
        let _ = writeln!(
            out,
            "claim optout_in_{honoured}_keeps_prints_from_ice \"{honoured}'s honoured opt-out keeps its prints from ICE\" cite generated:\n  always !reaches(fingerprints of {honoured}, ICE_FieldOffice);\n\
claim {state}_sends_prints_to_the_fbi \"{state} sends every county's prints to the FBI\" cite generated:\n  always forall c: county. parent(c) == {state} => reaches(fingerprints of c, FBI_CJIS);\n\
claim {ordinance}_can_send_a_release_notice \"{ordinance} can still send ICE a release notice\" cite generated:\n  possible reaches(release_notice of {ordinance}, ICE_FieldOffice);"
        );
    }
    out
}

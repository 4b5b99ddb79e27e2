//! Generated models for benchmarks and scale tests: `flowproof gen nationwide`.
//!
//! A nationwide model in the shape of Secure Communities: 56 states and territories,
//! counties spread over them in proportion to the real number of counties, the FBI's
//! CJIS, DHS's IDENT, ICE's LESC and a field office, the flows of fingerprints, matches,
//! immigration alien queries and responses, and detainers (with the state bureaus and
//! the FBI in a cycle), county-level params and opt-outs, assumptions about a few named
//! counties, and 8 claims of the kinds in the policy library.
//!
//! The same instance can be written as JSON facts, for tools that read their own
//! encodings of it.

use std::fmt::Write;

use serde::Serialize;

mod varied;
mod varied_text;

pub use varied::{
    CountyOptout, CountyPolicy, FIXED_CLAIMS, Named, StatePolicy, VariedNation, varied_nation,
};
pub use varied_text::varied_flow_text;

/// States and territories with their number of counties (county equivalents), the
/// weights counties are spread by.
pub const STATES: [(&str, u32); 56] = [
    ("Alabama", 67),
    ("Alaska", 30),
    ("Arizona", 15),
    ("Arkansas", 75),
    ("California", 58),
    ("Colorado", 64),
    ("Connecticut", 8),
    ("Delaware", 3),
    ("DistrictOfColumbia", 1),
    ("Florida", 67),
    ("Georgia", 159),
    ("Hawaii", 5),
    ("Idaho", 44),
    ("Illinois", 102),
    ("Indiana", 92),
    ("Iowa", 99),
    ("Kansas", 105),
    ("Kentucky", 120),
    ("Louisiana", 64),
    ("Maine", 16),
    ("Maryland", 24),
    ("Massachusetts", 14),
    ("Michigan", 83),
    ("Minnesota", 87),
    ("Mississippi", 82),
    ("Missouri", 115),
    ("Montana", 56),
    ("Nebraska", 93),
    ("Nevada", 17),
    ("NewHampshire", 10),
    ("NewJersey", 21),
    ("NewMexico", 33),
    ("NewYork", 62),
    ("NorthCarolina", 100),
    ("NorthDakota", 53),
    ("Ohio", 88),
    ("Oklahoma", 77),
    ("Oregon", 36),
    ("Pennsylvania", 67),
    ("RhodeIsland", 5),
    ("SouthCarolina", 46),
    ("SouthDakota", 66),
    ("Tennessee", 95),
    ("Texas", 254),
    ("Utah", 29),
    ("Vermont", 14),
    ("Virginia", 133),
    ("Washington", 39),
    ("WestVirginia", 55),
    ("Wisconsin", 72),
    ("Wyoming", 23),
    ("PuertoRico", 78),
    ("Guam", 1),
    ("VirginIslands", 3),
    ("AmericanSamoa", 5),
    ("NorthernMarianaIslands", 4),
];

/// The claims every generated model states, by name, with the verdict they get.
pub const CLAIMS: [(&str, &str); 8] = [
    ("removal_request_keeps_prints_from_ident", "refuted"),
    ("granted_removal_keeps_prints_from_ident", "proved"),
    ("program_is_voluntary", "proved"),
    ("declining_stops_results", "proved"),
    ("ice_learns_only_from_ident", "proved"),
    ("detainer_only_after_match", "proved"),
    ("moa_exit_shields_a_states_counties", "proved vacuously"),
    ("decliner_can_get_a_detainer", "proved"),
];

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One generated nation.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Nation {
    pub seed: u64,
    /// State names, in order.
    pub states: Vec<String>,
    /// Counties: name and the index of its state.
    pub counties: Vec<(String, usize)>,
    /// Counties assumed activated (named in an assumption).
    pub activated: Vec<usize>,
    /// Counties assumed never to have a removal granted.
    pub never_removed: Vec<usize>,
    /// States whose bureau is assumed to relay results.
    pub relaying: Vec<usize>,
}

/// How many of `counties` counties each state gets: in proportion to the real county
/// counts (largest remainder, ties to the earlier state), in the order of [`STATES`].
fn spread(counties: usize) -> Vec<usize> {
    let total: u64 = STATES.iter().map(|(_, w)| u64::from(*w)).sum();
    let mut shares: Vec<(usize, u64, u64)> = STATES
        .iter()
        .enumerate()
        .map(|(i, (_, w))| {
            let exact = u64::from(*w) * counties as u64;
            (i, exact / total, exact % total)
        })
        .collect();
    let given: u64 = shares.iter().map(|s| s.1).sum();
    let mut left = counties as u64 - given;
    shares.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for s in &mut shares {
        if left == 0 {
            break;
        }
        s.1 += 1;
        left -= 1;
    }
    shares.sort_by_key(|s| s.0);
    shares.iter().map(|s| s.1 as usize).collect()
}

/// Spreads `counties` over the states in proportion to their real county counts
/// (largest remainder), then picks the counties the assumptions name.
pub fn nation(counties: usize, seed: u64) -> Nation {
    let counts = spread(counties);
    let mut list = Vec::with_capacity(counties);
    for (state, count) in counts.iter().enumerate() {
        for k in 0..*count {
            list.push((format!("{}_{k}", STATES[state].0), state));
        }
    }
    let mut rng = Rng(seed);
    // about one county in a hundred is named by an assumption
    let named = counties.div_ceil(100);
    let mut pick = |n: usize| {
        let mut v: Vec<usize> = (0..n).map(|_| rng.below(counties)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let activated = pick(named);
    let never_removed = pick(named);
    let relaying = {
        let mut v: Vec<usize> = (0..STATES.len()).filter(|i| i % 3 == 0).collect();
        v.retain(|s| counts[*s] > 0);
        v
    };
    Nation {
        seed,
        states: STATES.iter().map(|(n, _)| (*n).to_owned()).collect(),
        counties: list,
        activated,
        never_removed,
        relaying,
    }
}

/// The nation as a policy file.
pub fn flow_text(n: &Nation) -> String {
    let mut out = String::with_capacity(200 + n.counties.len() * 48);
    let _ = writeln!(
        out,
        "// Generated by `flowproof gen nationwide --counties {} --seed {}`: a nationwide model\n\
// in the shape of Secure Communities, for benchmarks. Not a statement of any real policy.\n\
policy \"Secure Communities, nationwide (generated)\" version \"{} counties, seed {}\" date 2011-08-05;\n",
        n.counties.len(),
        n.seed,
        n.counties.len(),
        n.seed
    );
    out.push_str(
        "source generated { title = \"generated by flowproof gen nationwide\"; }\n\n\
kind state;\nkind county;\nkind federal;\n\n\
agency FBI_CJIS: federal;\nagency DHS_IDENT: federal;\nagency ICE_LESC: federal;\nagency ICE_FieldOffice: federal;\n",
    );
    for s in &n.states {
        let _ = writeln!(out, "agency {s}: state;");
    }
    for (c, s) in &n.counties {
        let _ = writeln!(out, "agency {c}: county in {};", n.states[*s]);
    }
    out.push_str(
        "\ndata fingerprints;\ndata match;\ndata iaq;\ndata iar;\ndata detainer;\n\n\
param activated(c: county);\nparam removal_granted(c: county);\nparam ident_match(c: county);\n\
param lodges_detainer(c: county);\nparam sib_relays_results(s: state);\nparam audits(s: state);\n\
param moa_exit_honoured;\nparam results_optout_honoured;\n\n\
optout county_requests_removal(c: county)\n  when removal_granted(c)\n  blocks fingerprints: FBI_CJIS -> DHS_IDENT\n  cite generated;\n\
optout state_ends_moa(s: state)\n  when moa_exit_honoured\n  blocks fingerprints: FBI_CJIS -> DHS_IDENT\n  cite generated;\n\
optout decline_results(c: county)\n  when results_optout_honoured\n  blocks match: parent(c) -> c\n  blocks iar: parent(c) -> c\n  cite generated;\n\n\
collect fingerprints at (c: county) cite generated;\n\
flow fingerprints: (c: county) -> parent(c) cite generated;\n\
flow fingerprints: (s: state) -> FBI_CJIS cite generated;\n\
flow fingerprints: FBI_CJIS -> DHS_IDENT when activated(origin) cite generated;\n\
derive match from fingerprints at DHS_IDENT when ident_match(origin) cite generated;\n\
flow match: DHS_IDENT -> FBI_CJIS cite generated;\n\
flow match: FBI_CJIS -> parent(origin) cite generated;\n\
flow match: (s: state) -> FBI_CJIS when audits(s) cite generated;\n\
flow match: parent(origin) -> origin when sib_relays_results(parent(origin)) cite generated;\n\
derive iaq from match at DHS_IDENT cite generated;\n\
flow iaq: DHS_IDENT -> ICE_LESC cite generated;\n\
derive iar from iaq at ICE_LESC cite generated;\n\
flow iar: ICE_LESC -> ICE_FieldOffice cite generated;\n\
flow iar: ICE_LESC -> FBI_CJIS cite generated;\n\
flow iar: FBI_CJIS -> parent(origin) cite generated;\n\
flow iar: parent(origin) -> origin cite generated;\n\
derive detainer from iar at ICE_FieldOffice when lodges_detainer(origin) cite generated;\n\
flow detainer: ICE_FieldOffice -> origin cite generated;\n\n\
assume !moa_exit_honoured cite generated;\n\
assume results_optout_honoured cite generated;\n",
    );
    for c in &n.activated {
        let _ = writeln!(
            out,
            "assume activated({}) cite generated;",
            n.counties[*c].0
        );
    }
    for c in &n.never_removed {
        let _ = writeln!(
            out,
            "assume !removal_granted({}) cite generated;",
            n.counties[*c].0
        );
    }
    for s in &n.relaying {
        let _ = writeln!(
            out,
            "assume sib_relays_results({}) cite generated;",
            n.states[*s]
        );
    }
    out.push_str(
        "\nclaim removal_request_keeps_prints_from_ident cite generated:\n  always forall c: county. county_requests_removal(c) => !reaches(fingerprints of c, DHS_IDENT);\n\
claim granted_removal_keeps_prints_from_ident cite generated:\n  always forall c: county. county_requests_removal(c) && removal_granted(c) => !reaches(fingerprints of c, DHS_IDENT);\n\
claim program_is_voluntary cite generated:\n  possible exists c: county. activated(c) && reaches(fingerprints of c, FBI_CJIS) && !reaches(fingerprints of c, DHS_IDENT);\n\
claim declining_stops_results cite generated:\n  always forall c: county. decline_results(c) => !reaches(match of c, c) && !reaches(iar of c, c);\n\
claim ice_learns_only_from_ident cite generated:\n  always forall c: county. reaches(iar of c, ICE_FieldOffice) => reaches(fingerprints of c, DHS_IDENT);\n\
claim detainer_only_after_match cite generated:\n  always forall c: county. reaches(detainer of c, c) => ident_match(c) && activated(c);\n\
claim moa_exit_shields_a_states_counties cite generated:\n  always forall s: state. state_ends_moa(s) && moa_exit_honoured =>\n    forall c: county. parent(c) == s => !reaches(fingerprints of c, DHS_IDENT);\n\
claim decliner_can_get_a_detainer cite generated:\n  possible exists c: county. decline_results(c) && reaches(detainer of c, c);\n",
    );
    out
}

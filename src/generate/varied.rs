//! The varied nation: `flowproof gen nationwide --varied`. Input: a county count and a
//! seed; output: a [`VariedNation`] (states with laws of their own, counties with rules
//! of their own, cities inside some counties) and the verdict each of its claims gets.
//!
//! Every state has a profile drawn from the seed: a TRUST-Act-like limit on release
//! notices to ICE, a law withholding prints from the FBI under a condition, an MOA that
//! is signed or still pending, an MOA it tried to end. Between 20% and 40% of the
//! counties (the share is drawn from the seed too) have rules of their own: an opt-out
//! ICE honours or refuses, a 287(g) line straight to ICE, a sanctuary ordinance, cities
//! booking people into the county's jail. The claims name particular counties and
//! states, and the generator knows each verdict without solving: [`VariedNation::derive_verdicts`]
//! derives it from the profiles (the reasoning is written beside each claim).

use serde::Serialize;

use super::{Rng, STATES, spread};

/// Whether and how a county opted out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CountyOptout {
    /// Nothing is assumed about it: the county may or may not opt out, ICE may or may
    /// not honour it.
    Unknown,
    /// The county opted out and ICE honours it.
    Honoured,
    /// The county opted out and ICE refuses it.
    Refused,
}

/// One state's laws and agreements.
#[derive(Clone, Copy, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct StatePolicy {
    /// A TRUST-Act-like law: no release notice to ICE without a judicial warrant.
    pub trust_act: bool,
    /// A law withholding prints from the FBI while its condition holds.
    pub withholds_prints: bool,
    /// The MOA is signed (otherwise pending: the state is not activated).
    pub moa_signed: bool,
    /// The state tried to end its MOA (ICE does not honour exits).
    pub ended_moa: bool,
}

/// One county's rules of its own.
#[derive(Clone, Copy, Debug, Serialize, schemars::JsonSchema)]
pub struct CountyPolicy {
    pub optout: CountyOptout,
    /// A 287(g) line: the county's officers check prints with ICE directly.
    pub g287: bool,
    /// A sanctuary ordinance: release notices to ICE only for a serious felony.
    pub ordinance: bool,
}

impl Default for CountyPolicy {
    fn default() -> Self {
        CountyPolicy {
            optout: CountyOptout::Unknown,
            g287: false,
            ordinance: false,
        }
    }
}

/// The agencies the named claims are about.
#[derive(Clone, Copy, Debug, Serialize, schemars::JsonSchema)]
pub struct Named {
    /// A county whose opt-out ICE honours.
    pub honoured_county: usize,
    /// A state with at least one county.
    pub state: usize,
    /// A county with a sanctuary ordinance.
    pub ordinance_county: usize,
}

/// One generated varied nation.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct VariedNation {
    /// Always `"varied"`, so tools reading the JSON can tell the two shapes apart.
    pub shape: &'static str,
    pub seed: u64,
    /// State names, in order.
    pub states: Vec<String>,
    /// Counties: name and the index of its state.
    pub counties: Vec<(String, usize)>,
    /// Cities: name and the index of its county.
    pub cities: Vec<(String, usize)>,
    /// Per state, its laws.
    pub state_policies: Vec<StatePolicy>,
    /// Per county, its rules.
    pub county_policies: Vec<CountyPolicy>,
    /// The share of counties with rules of their own, in percent.
    pub featured_percent: u64,
    pub named: Named,
    /// The claims, in file order: name and mode (`always` or `possible`).
    pub claims: Vec<(String, &'static str)>,
    /// Every claim's verdict, derived by [`VariedNation::derive_verdicts`], in file order.
    pub expected: Vec<(String, String)>,
}

/// The claims of the varied nation that name no agency, with their mode. The named
/// claims follow them (see [`VariedNation::claim_names`]).
pub const FIXED_CLAIMS: [(&str, &str); 9] = [
    ("optout_keeps_prints_from_ident", "always"),
    ("honoured_optout_keeps_prints_from_ident", "always"),
    ("cities_share_their_countys_optout", "always"),
    ("pending_states_keep_prints_from_ident", "always"),
    ("moa_exit_shields_a_states_counties", "always"),
    ("trust_act_stops_notices_without_warrant", "always"),
    ("notice_without_warrant_in_a_trust_state", "possible"),
    ("ice_learns_only_from_ident", "always"),
    ("history_comes_home", "always"),
];

impl Rng {
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Builds the varied nation: `counties` counties spread over the states as in
/// [`super::nation`], profiles drawn from `seed`.
pub fn varied_nation(counties: usize, seed: u64) -> VariedNation {
    let counts = spread(counties);
    let mut rng = Rng(seed ^ 0x5641_5249_4544);
    let states: Vec<String> = STATES.iter().map(|(n, _)| (*n).to_owned()).collect();
    let mut county_list = Vec::with_capacity(counties);
    for (state, count) in counts.iter().enumerate() {
        for k in 0..*count {
            county_list.push((format!("{}_{k}", STATES[state].0), state));
        }
    }
    let mut state_policies: Vec<StatePolicy> = (0..states.len())
        .map(|_| StatePolicy {
            trust_act: rng.chance(30),
            withholds_prints: rng.chance(15),
            moa_signed: !rng.chance(15),
            ended_moa: rng.chance(10),
        })
        .collect();
    if state_policies.iter().all(|p| p.moa_signed) {
        let s = rng.below(states.len());
        state_policies[s].moa_signed = false;
    }
    let featured_percent = 20 + rng.below(21) as u64;
    let mut county_policies = vec![CountyPolicy::default(); counties];
    let mut cities = Vec::new();
    for (i, policy) in county_policies.iter_mut().enumerate() {
        if !rng.chance(featured_percent) {
            continue;
        }
        // a non-empty subset of the four kinds of local rule
        let mut kinds = 0;
        while kinds == 0 {
            kinds = rng.next() % 16;
        }
        if kinds & 1 != 0 {
            policy.optout = if rng.chance(50) {
                CountyOptout::Honoured
            } else {
                CountyOptout::Refused
            };
        }
        policy.g287 = kinds & 2 != 0;
        policy.ordinance = kinds & 4 != 0;
        if kinds & 8 != 0 {
            for k in 0..1 + rng.below(2) {
                cities.push((format!("{}_city{k}", county_list[i].0), i));
            }
        }
    }
    // every kind of claim needs something to be about, however small the nation
    if counties > 0 {
        if !county_policies
            .iter()
            .any(|p| p.optout == CountyOptout::Honoured)
        {
            let c = rng.below(counties);
            county_policies[c].optout = CountyOptout::Honoured;
        }
        if !county_policies.iter().any(|p| p.ordinance) {
            let c = rng.below(counties);
            county_policies[c].ordinance = true;
        }
        if cities.is_empty() {
            let c = rng.below(counties);
            cities.push((format!("{}_city0", county_list[c].0), c));
        }
    }
    cities.sort_by_key(|(_, c)| *c);
    let pick = |rng: &mut Rng, pool: Vec<usize>| pool.get(rng.below(pool.len())).copied();
    let honoured: Vec<usize> = (0..counties)
        .filter(|c| county_policies[*c].optout == CountyOptout::Honoured)
        .collect();
    // half the seeds name an honoured county with a 287(g) line, where there is one
    let (with_line, without): (Vec<usize>, Vec<usize>) =
        honoured.iter().partition(|c| county_policies[**c].g287);
    let honoured_county = if rng.chance(50) && !with_line.is_empty() {
        pick(&mut rng, with_line)
    } else {
        pick(&mut rng, without).or_else(|| honoured.first().copied())
    }
    .unwrap_or(0);
    let with_counties: Vec<usize> = (0..states.len()).filter(|s| counts[*s] > 0).collect();
    let (withholding, other): (Vec<usize>, Vec<usize>) = with_counties
        .iter()
        .partition(|s| state_policies[**s].withholds_prints);
    let state = if rng.chance(50) && !withholding.is_empty() {
        pick(&mut rng, withholding)
    } else {
        pick(&mut rng, other).or_else(|| with_counties.first().copied())
    }
    .unwrap_or(0);
    let ordinance: Vec<usize> = (0..counties)
        .filter(|c| county_policies[*c].ordinance)
        .collect();
    let ordinance_county = pick(&mut rng, ordinance).unwrap_or(0);
    let mut nation = VariedNation {
        shape: "varied",
        seed,
        states,
        counties: county_list,
        cities,
        state_policies,
        county_policies,
        featured_percent,
        named: Named {
            honoured_county,
            state,
            ordinance_county,
        },
        claims: Vec::new(),
        expected: Vec::new(),
    };
    nation.claims = nation.claim_names();
    nation.expected = nation.derive_verdicts();
    nation
}

impl VariedNation {
    /// Every claim's name and mode, in file order.
    pub fn claim_names(&self) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = FIXED_CLAIMS
            .iter()
            .map(|(n, m)| ((*n).to_owned(), *m))
            .collect();
        if !self.counties.is_empty() {
            let named = self.named;
            out.push((
                format!(
                    "optout_in_{}_keeps_prints_from_ice",
                    self.counties[named.honoured_county].0
                ),
                "always",
            ));
            out.push((
                format!("{}_sends_prints_to_the_fbi", self.states[named.state]),
                "always",
            ));
            out.push((
                format!(
                    "{}_can_send_a_release_notice",
                    self.counties[named.ordinance_county].0
                ),
                "possible",
            ));
        }
        out
    }

    fn state_of(&self, c: usize) -> &StatePolicy {
        &self.state_policies[self.counties[c].1]
    }

    /// In some admissible scenario the prints of county `c` reach DHS_IDENT: its state
    /// has signed its MOA (a pending state's opt-out is assumed), and ICE does not
    /// honour an opt-out of `c` (a withholding state's condition may be false, and an
    /// unknown opt-out may be off).
    fn can_reach_ident(&self, c: usize) -> bool {
        self.state_of(c).moa_signed && self.county_policies[c].optout != CountyOptout::Honoured
    }

    /// In some admissible scenario the prints of county `c` do not reach DHS_IDENT: its
    /// MOA is pending, its state may withhold them from the FBI, or its opt-out is not
    /// assumed refused (honoured, or unknown and then possibly honoured).
    fn can_miss_ident(&self, c: usize) -> bool {
        let s = self.state_of(c);
        !s.moa_signed
            || s.withholds_prints
            || self.county_policies[c].optout != CountyOptout::Refused
    }

    /// In some admissible scenario a match about `c` reaches ICE (and so a detainer
    /// reaches `c`): through IDENT, or through its own 287(g) line.
    fn can_match_at_ice(&self, c: usize) -> bool {
        self.can_reach_ident(c) || self.county_policies[c].g287
    }

    /// The verdict of every claim, derived from the profiles, in file order: `proved`,
    /// `refuted` or `proved vacuously`.
    #[expect(
        clippy::vec_init_then_push,
        reason = "one push per claim, in file order, each with its reasoning beside it"
    )]
    pub fn derive_verdicts(&self) -> Vec<(String, String)> {
        let n = self.counties.len();
        let counties = 0..n;
        let always = |holds: bool, vacuous: bool| {
            if !holds {
                "refuted"
            } else if vacuous {
                "proved vacuously"
            } else {
                "proved"
            }
        };
        let possible = |holds: bool| if holds { "proved" } else { "refuted" };
        let mut v: Vec<&str> = Vec::new();
        // optout_keeps_prints_from_ident: a county whose opt-out ICE does not honour
        // (refused, or unknown and then chosen so) in a signed state sends its prints to
        // IDENT. Its antecedent, the opt-out, is free or assumed for every county.
        v.push(always(
            !counties.clone().any(|c| self.can_reach_ident(c)),
            n == 0,
        ));
        // honoured_optout_keeps_prints_from_ident: the opt-out blocks FBI -> IDENT for
        // the county's data whenever it is on and honoured; vacuous only when every
        // county's opt-out is assumed refused.
        v.push(always(
            true,
            self.county_policies
                .iter()
                .all(|p| p.optout == CountyOptout::Refused),
        ));
        // cities_share_their_countys_optout: the opt-out covers what is inside the
        // county; vacuous when every city's county is assumed refused.
        v.push(always(
            true,
            self.cities
                .iter()
                .all(|(_, c)| self.county_policies[*c].optout == CountyOptout::Refused),
        ));
        // pending_states_keep_prints_from_ident: a pending state's opt-out is assumed
        // on and its condition (!moa_signed) assumed; vacuous without a pending state.
        v.push(always(
            true,
            self.state_policies.iter().all(|p| p.moa_signed),
        ));
        // moa_exit_shields_a_states_counties: ICE never honours an exit (assumed).
        v.push("proved vacuously");
        // trust_act_stops_notices_without_warrant: the TRUST Act blocks every county's
        // release notices to ICE (covers all) without a warrant; vacuous when no county
        // is in a TRUST state.
        v.push(always(
            true,
            !counties.clone().any(|c| self.state_of(c).trust_act),
        ));
        // notice_without_warrant_in_a_trust_state: the opposite, never possible.
        v.push(possible(false));
        // ice_learns_only_from_ident: a 287(g) county whose prints can miss IDENT
        // gets a match at ICE without them; vacuous when no match can reach ICE.
        let line_without_ident = counties
            .clone()
            .any(|c| self.county_policies[c].g287 && self.can_miss_ident(c));
        v.push(always(
            !line_without_ident,
            !counties.clone().any(|c| self.can_match_at_ice(c)),
        ));
        // history_comes_home: criminal history goes FBI -> state -> county unblocked,
        // and every county's prints can reach the FBI.
        v.push(always(true, n == 0));
        if n > 0 {
            let named = self.named;
            // the honoured county's prints reach ICE only through its own 287(g) line
            v.push(always(
                !self.county_policies[named.honoured_county].g287,
                false,
            ));
            // the named state's counties send prints to the FBI unless it withholds
            v.push(always(
                !self.state_policies[named.state].withholds_prints,
                false,
            ));
            // a release notice needs a detainer, which needs a match at ICE; the
            // ordinance's exception (a serious felony) and a warrant can always open
            // the county's line
            v.push(possible(self.can_match_at_ice(named.ordinance_county)));
        }
        self.claims
            .iter()
            .zip(v)
            .map(|((name, _), verdict)| (name.clone(), verdict.to_owned()))
            .collect()
    }
}

//! Where a statement's accelerated release came from ("why did I get this", SPEC §3 step 4),
//! recomputed from the branches the settlement stored, by the rules of the day: per direct
//! referral's branch the exact share entitlements, and per band of the branch the rate applied
//! and the exact team or peer entitlement. Summed kind by kind and rounded down once, they are the
//! day's entitlements, as the engine computed them.
use super::engine::{Band, BandPay, Branch, band_pay, contribution};
use super::rules::{Rules, floor_micros};
use crate::domain::amounts::Accelerated;

/// One band of a branch as it reaches the recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandSource {
    pub band: Band,
    /// What the band earns the recipient; `None` when it earns nothing (a lower tier on the way,
    /// no peer generations left, or a rate of zero).
    pub pay: Option<BandPay>,
    /// The entitlement from the band before rounding, in millionths of a fen.
    pub exact: i128,
}

/// One direct referral's branch and what it entitles the recipient to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchSource<W> {
    /// The direct referral heading the branch.
    pub member: W,
    /// The referral's own static release (share generation 1 is taken from it).
    pub static_fen: i64,
    /// The static releases of the referral's own direct referrals (share generation 2).
    pub children_static_fen: i64,
    /// Every static release in the branch, the referral's own included.
    pub release_fen: i64,
    /// The entitlements from the branch before rounding, in millionths of a fen.
    pub exact: Accelerated<i128>,
    /// In the branch's band order.
    pub bands: Vec<BandSource>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sources<W> {
    /// In the order of the branches given.
    pub branches: Vec<BranchSource<W>>,
    /// The day's entitlements: each kind summed exactly over the branches and rounded down once.
    pub entitled: Accelerated<i64>,
}

/// The sources of the accelerated release of a recipient of rank `rank` from its `branches` (as
/// the settlement stored them) by the day's `rules`.
pub fn sources<W: Clone>(rules: &Rules, rank: u8, branches: &[Branch<W>]) -> Sources<W> {
    let mut total = Accelerated::<i128>::default();
    let branches = branches
        .iter()
        .map(|branch| {
            let exact = contribution(rules, rank, branch);
            total += exact;
            let bands = branch
                .bands
                .iter()
                .map(|&band| {
                    // Every stored band releases something, so a rate of zero is all that earns nothing.
                    let pay = band_pay(rules, rank, &band).filter(|pay| pay.rate_micros() > 0);
                    let exact = pay.map_or(0, |pay| i128::from(pay.rate_micros()) * i128::from(band.fen));
                    BandSource { band, pay, exact }
                })
                .collect();
            BranchSource {
                member: branch.member.clone(),
                static_fen: branch.static_fen,
                children_static_fen: branch.children_static_fen,
                release_fen: branch.bands.iter().map(|band| band.fen).sum(),
                exact,
                bands,
            }
        })
        .collect();
    Sources { branches, entitled: total.map(floor_micros) }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::settlement::engine::settle;
    use crate::settlement::engine::tests::{arbitrary_params, arbitrary_snapshot, oracle};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// For every member of a random network: the sources recomputed from the branches as
        /// stored (JSON, phones for indexes) sum to the engine's entitlements, which the literal
        /// walk of the spec gives too; the engine paid them kind by kind out of what the pool held
        /// after the static release, and forfeited the rest; every band's entitlement is its
        /// rate times its release, and a branch's bands add up to its team and peer entitlements.
        #[test]
        fn the_sources_of_every_statement_add_up_to_what_the_engine_credited_and_forfeited(
            snapshot in arbitrary_snapshot(),
            params in arbitrary_params(),
        ) {
            let rules = Rules::of(&params);
            let result = settle(&snapshot, &rules).unwrap();
            let (spec, _) = oracle(&snapshot, &params);
            for (i, day) in result.members.iter().enumerate().filter(|(_, day)| day.has_movement()) {
                let stored: Vec<Branch<String>> = day
                    .branches
                    .iter()
                    .map(|b| Branch { member: format!("m{}", b.member), static_fen: b.static_fen, children_static_fen: b.children_static_fen, bands: b.bands.clone() })
                    .collect();
                let stored: Vec<Branch<String>> = serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
                let sources = sources(&rules, day.tier_rank, &stored);

                prop_assert_eq!(sources.entitled, day.entitled, "entitlements of {}", i);
                prop_assert_eq!(sources.entitled, spec[i].1, "entitlements of {} by the spec's walk", i);
                let pool: i64 = snapshot.orders.iter().zip(&result.orders).filter(|(o, _)| o.member as usize == i).map(|(o, d)| o.remaining_fen - d.static_fen).sum();
                let mut left = pool;
                for (entitled, paid) in sources.entitled.into_array().into_iter().zip(day.paid.into_array()) {
                    prop_assert_eq!(paid, entitled.min(left), "paid of {} in the order of the kinds", i);
                    left -= paid;
                }
                prop_assert_eq!(sources.entitled.total(), day.paid.total() + day.amounts().forfeited, "forfeited of {}", i);

                for (source, branch) in sources.branches.iter().zip(&day.branches) {
                    prop_assert_eq!(&source.member, &format!("m{}", branch.member));
                    prop_assert_eq!(source.release_fen, branch.bands.iter().map(|b| b.fen).sum::<i64>());
                    let bands: i128 = source.bands.iter().map(|b| b.exact).sum();
                    prop_assert_eq!(bands, source.exact.team + source.exact.peer, "bands of the branch {} of {}", branch.member, i);
                    for band in &source.bands {
                        let rate = match band.pay {
                            Some(BandPay::Team(rate)) => {
                                prop_assert_eq!(rate, rules.rank_micros(day.tier_rank) - rules.rank_micros(band.band.rank));
                                rate
                            }
                            Some(BandPay::Peer(rate)) => {
                                prop_assert_eq!(rate, rules.peer_micros());
                                prop_assert!(band.band.rank == day.tier_rank && band.band.count <= rules.peer_generations());
                                rate
                            }
                            None => 0,
                        };
                        prop_assert_eq!(band.exact, i128::from(rate) * i128::from(band.band.fen));
                    }
                }
            }
        }
    }
}

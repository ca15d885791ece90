use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::domain::amounts::Accelerated;
use crate::domain::day::BusinessDay;
use crate::domain::money::{Money, floor_fen};
use crate::domain::params::{Params, ParamsDocument, TeamTierDocument};
use crate::settlement::rules::MICROS;

fn defaults() -> Params {
    Params::defaults(BusinessDay::parse("2026-01-01").unwrap())
}

fn member(sponsor: Option<u32>, own_volume_fen: i64) -> Member {
    Member { sponsor, own_volume_fen }
}

fn order(member: u32, id: &str, amount_fen: i64, paid_at_ms: i64, remaining_fen: i64) -> Order {
    Order { member, order_id: id.into(), amount_fen, paid_at_ms, remaining_fen }
}

/// Settles one day and carries every order's remaining into the next day's snapshot.
fn settle_and_advance(snapshot: &mut Snapshot, rules: &Rules) -> DayResult {
    let result = settle(snapshot, rules).unwrap();
    for (order, day) in snapshot.orders.iter_mut().zip(&result.orders) {
        order.remaining_fen -= day.static_fen + day.deducted_fen;
    }
    result
}

#[test]
fn worked_example_1_the_first_order_runs_out_on_its_209th_day_then_108_a_day() {
    let rules = Rules::of(&defaults());
    let mut snapshot = Snapshot {
        members: vec![member(None, 1_200_000)],
        orders: vec![order(0, "a-1", 300_000, 1, 750_000), order(0, "a-2", 900_000, 2, 2_700_000)],
    };
    for day in 1..=208 {
        let result = settle_and_advance(&mut snapshot, &rules);
        assert_eq!(result.members[0].static_fen, 14_400, "day {day}");
    }
    assert_eq!(snapshot.orders[0].remaining_fen, 1_200);
    let day_209 = settle_and_advance(&mut snapshot, &rules);
    assert_eq!(day_209.orders[0].static_fen, 1_200);
    assert_eq!(day_209.members[0].static_fen, 1_200 + 10_800);
    assert_eq!(snapshot.orders[0].remaining_fen, 0);
    let day_210 = settle_and_advance(&mut snapshot, &rules);
    assert_eq!(day_210.members[0].static_fen, 10_800);
}

#[test]
fn worked_example_2_the_share_income_comes_out_of_the_sponsors_first_order() {
    let rules = Rules::of(&defaults());
    let mut snapshot = Snapshot {
        members: vec![member(None, 1_200_000), member(Some(0), 300_000)],
        orders: vec![order(0, "a-2", 900_000, 20, 2_700_000), order(1, "b-1", 300_000, 5, 750_000), order(0, "a-1", 300_000, 10, 750_000)],
    };
    let result = settle_and_advance(&mut snapshot, &rules);
    assert_eq!(result.members[1].static_fen, 3_600);
    assert_eq!(result.members[0].entitled, Accelerated { share_g1: 1_800, ..Accelerated::default() });
    assert_eq!(result.members[0].paid, result.members[0].entitled);
    assert_eq!(snapshot.orders[2].remaining_fen, 750_000 - 3_600 - 1_800, "the first order pays");
    assert_eq!(snapshot.orders[0].remaining_fen, 2_700_000 - 10_800, "the second only releases");
}

/// Tiers with the names and rates of the defaults, at thresholds chosen so that the worked
/// example's members have the tiers it names.
fn example_3_params() -> Params {
    let mut document = ParamsDocument::from(defaults());
    let minimums = ["800000.00", "834000.00", "834500.00", "835000.00", "835500.00", "836000.00", "840000.00"];
    for (tier, minimum) in document.team_tiers.iter_mut().zip(minimums) {
        tier.min_volume = minimum.into();
    }
    Params::parse(document).unwrap()
}

#[test]
fn worked_example_3_each_upline_gets_the_difference_of_its_rate_over_the_rates_below() {
    let rules = Rules::of(&example_3_params());
    // A (0) ← B (1) ← C (2) ← R (3), and a small order of L (4) under A lifts A to 王者.
    let snapshot = Snapshot {
        members: vec![
            member(None, 300_000),
            member(Some(0), 300_000),
            member(Some(1), 300_000),
            member(Some(2), 83_333_334),
            member(Some(0), 100_000),
        ],
        orders: vec![
            order(0, "a", 300_000, 1, 750_000),
            order(1, "b", 300_000, 1, 750_000),
            order(2, "c", 300_000, 1, 750_000),
            order(3, "r", 83_333_334, 1, 208_333_335),
        ],
    };
    let result = settle(&snapshot, &rules).unwrap();
    let tiers: Vec<u8> = result.members.iter().map(|m| m.tier_rank).collect();
    assert_eq!(tiers[..3], [7, 6, 1], "A 王者, B 星耀, C 青铜");
    assert_eq!(result.members[3].static_fen, 1_000_000, "R releases 10000.00");
    // What C and B get from R's 10000 alone: R's release reaches C with no tier met on the way
    // and reaches B having met C's 青铜.
    let branch = |recipient: usize, child: u32| result.members[recipient].branches.iter().find(|b| b.member == child).unwrap().clone();
    let r_at_c = Branch { static_fen: 0, children_static_fen: 0, ..branch(2, 3) };
    assert_eq!(r_at_c.bands, [Band { rank: 0, count: 0, fen: 1_000_000 }]);
    assert_eq!(contribution(&rules, 1, &r_at_c).team, 100_000 * MICROS, "C gets 1000");
    let c_at_b = branch(1, 2);
    assert_eq!(c_at_b.bands, [Band { rank: 0, count: 0, fen: 3_600 }, Band { rank: 1, count: 1, fen: 1_000_000 }]);
    let r_at_b = Branch { static_fen: 0, children_static_fen: 0, bands: vec![c_at_b.bands[1]], ..c_at_b };
    assert_eq!(contribution(&rules, 6, &r_at_b).team, 340_000 * MICROS, "B gets 4400 − 1000 = 3400");
    // A meets R's 10000 and C's 36 both after B's 星耀: 6% of 10036 (600 from R).
    assert_eq!(branch(0, 1).bands, [Band { rank: 0, count: 0, fen: 3_600 }, Band { rank: 6, count: 1, fen: 1_003_600 }]);
    // Plus their cuts of C's and B's own 36.00 by the same walk.
    assert_eq!(result.members[2].entitled, Accelerated { share_g1: 500_000, share_g2: 0, team: 100_000, peer: 0 });
    assert_eq!(result.members[1].entitled, Accelerated { share_g1: 1_800, share_g2: 300_000, team: 340_000 + 1_584, peer: 0 });
    assert_eq!(result.members[0].entitled, Accelerated { share_g1: 1_800, share_g2: 1_080, team: 60_000 + 216 + 1_800, peer: 0 });
}

#[test]
fn worked_example_4_a_same_tier_sponsor_gets_the_peer_bonus_over_the_branch() {
    let rules = Rules::of(&defaults());
    // A (0) ← B (1) ← C (2); B and A are 青铜.
    let snapshot = Snapshot {
        members: vec![member(None, 300_000), member(Some(0), 300_000), member(Some(1), 6_000_000)],
        orders: vec![order(0, "a", 300_000, 1, 750_000), order(1, "b", 300_000, 1, 750_000), order(2, "c", 6_000_000, 1, 24_000_000)],
    };
    let result = settle(&snapshot, &rules).unwrap();
    assert_eq!([result.members[0].tier_rank, result.members[1].tier_rank], [1, 1]);
    assert_eq!(result.members[1].entitled, Accelerated { share_g1: 36_000, share_g2: 0, team: 7_200, peer: 0 }, "B: 10% of C's 720");
    assert_eq!(
        result.members[0].entitled,
        Accelerated { share_g1: 1_800, share_g2: 21_600, team: 360, peer: 2_160 },
        "A: peer 3% of C's 720, team 10% of B's own 36"
    );
}

#[test]
fn what_the_pool_cannot_pay_is_forfeited_kind_by_kind_in_order() {
    let rules = Rules::of(&defaults());
    let snapshot = Snapshot {
        members: vec![member(None, 0), member(Some(0), 300_000)],
        orders: vec![order(0, "a", 300_000, 1, 3_700), order(1, "b", 300_000, 1, 750_000)],
    };
    let result = settle(&snapshot, &rules).unwrap();
    let a = &result.members[0];
    assert_eq!(a.static_fen, 3_600);
    assert_eq!(a.entitled.share_g1, 1_800);
    assert_eq!(a.paid.share_g1, 100, "only 1.00 was left after the static release");
    assert_eq!(a.amounts().forfeited, 1_700);
    assert_eq!(result.orders[0], OrderDay { static_fen: 3_600, deducted_fen: 100 });
}

#[test]
fn a_member_with_an_empty_pool_still_takes_its_place_in_the_walk() {
    let rules = Rules::of(&defaults());
    // A (青铜) ← B (青铜, no orders) ← C: B forfeits its 10%, A still gets only the peer bonus.
    let snapshot = Snapshot {
        members: vec![member(None, 0), member(Some(0), 0), member(Some(1), 6_000_000)],
        orders: vec![order(0, "a", 300_000, 1, 750_000), order(2, "c", 6_000_000, 1, 24_000_000)],
    };
    let result = settle(&snapshot, &rules).unwrap();
    assert_eq!(result.members[1].paid, Accelerated::default());
    assert_eq!(result.members[1].amounts().forfeited, 36_000 + 7_200);
    assert_eq!(result.members[0].entitled.team, 0);
    assert_eq!(result.members[0].entitled.peer, 2_160);
}

#[test]
fn deductions_take_the_oldest_order_first_and_ties_by_order_id_byte_by_byte() {
    let rules = Rules::of(&defaults());
    let snapshot = Snapshot {
        members: vec![member(None, 0), member(Some(0), 300_000)],
        orders: vec![
            order(0, "b", 300_000, 7, 3_610),
            order(0, "B", 300_000, 7, 3_610),
            order(0, "a", 300_000, 9, 750_000),
            order(1, "x", 300_000, 1, 750_000),
        ],
    };
    let result = settle(&snapshot, &rules).unwrap();
    // "B" (0x42) sorts before "b" (0x62); each has 0.10 left after its static release.
    assert_eq!(result.orders[1].deducted_fen, 10);
    assert_eq!(result.orders[0].deducted_fen, 10);
    assert_eq!(result.orders[2].deducted_fen, 1_800 - 20);
}

#[test]
fn a_cycle_in_the_snapshot_is_refused() {
    let snapshot = Snapshot { members: vec![member(None, 0), member(Some(2), 0), member(Some(1), 0)], orders: vec![] };
    assert!(matches!(settle(&snapshot, &Rules::of(&defaults())), Err(SnapshotError::Cycle { .. })));
}

/// One member's day by the literal spec: static release, entitled, paid.
pub(crate) type OracleMember = (i64, Accelerated<i64>, Accelerated<i64>);

/// SPEC §3 transcribed literally, in decimals, one walk per releasing member: what the engine is
/// held against. Returns each member's day and each order's remaining points.
pub(crate) fn oracle(snapshot: &Snapshot, params: &Params) -> (Vec<OracleMember>, Vec<i64>) {
    let n = snapshot.members.len();
    let sponsor = |i: usize| snapshot.members[i].sponsor.map(|s| s as usize);
    let below = |u: usize, x: usize| {
        let mut at = sponsor(x);
        while let Some(a) = at {
            if a == u {
                return true;
            }
            at = sponsor(a);
        }
        false
    };
    let rate: Vec<Decimal> = (0..n)
        .map(|u| {
            let volume: i64 = (0..n).filter(|&x| below(u, x)).map(|x| snapshot.members[x].own_volume_fen).sum();
            params.team_rate(Money::from_fen(volume).unwrap()).as_decimal()
        })
        .collect();
    let fen = |amount: Decimal| -> i64 { (floor_fen(amount) * Decimal::from(100)).try_into().unwrap() };
    let statics: Vec<i64> = snapshot
        .orders
        .iter()
        .map(|o| o.remaining_fen.min(fen(params.release_rate().as_decimal() * Decimal::new(o.amount_fen, 2))))
        .collect();
    let mut s = vec![Decimal::ZERO; n];
    for (o, st) in snapshot.orders.iter().zip(&statics) {
        s[o.member as usize] += Decimal::new(*st, 2);
    }
    let mut ent = vec![[Decimal::ZERO; 4]; n];
    let shares = params.share_rates();
    for x in (0..n).filter(|&x| s[x] > Decimal::ZERO) {
        if let Some(g1) = sponsor(x) {
            ent[g1][0] += shares[0].as_decimal() * s[x];
            if let (Some(g2), Some(r)) = (sponsor(g1), shares.get(1)) {
                ent[g2][1] += r.as_decimal() * s[x];
            }
        }
        let (mut cur, mut peers_left, mut generation) = (Decimal::ZERO, 0, 1);
        let mut at = sponsor(x);
        while let Some(u) = at {
            if params.team_max_depth().is_some_and(|max| generation > max) {
                break;
            }
            if rate[u] > cur {
                ent[u][2] += (rate[u] - cur) * s[x];
                cur = rate[u];
                peers_left = params.peer_generations();
            } else if rate[u] == cur && cur > Decimal::ZERO && peers_left > 0 {
                ent[u][3] += params.peer_rate().as_decimal() * s[x];
                peers_left -= 1;
            }
            at = sponsor(u);
            generation += 1;
        }
    }
    let mut remaining: Vec<i64> = snapshot.orders.iter().zip(&statics).map(|(o, st)| o.remaining_fen - st).collect();
    let mut fifo: Vec<usize> = (0..snapshot.orders.len()).collect();
    fifo.sort_by(|&a, &b| {
        let (x, y) = (&snapshot.orders[a], &snapshot.orders[b]);
        (x.paid_at_ms, x.order_id.as_bytes()).cmp(&(y.paid_at_ms, y.order_id.as_bytes()))
    });
    let members = (0..n)
        .map(|m| {
            let entitled = Accelerated { share_g1: fen(ent[m][0]), share_g2: fen(ent[m][1]), team: fen(ent[m][2]), peer: fen(ent[m][3]) };
            let mut left: i64 = fifo.iter().filter(|&&o| snapshot.orders[o].member as usize == m).map(|&o| remaining[o]).sum();
            let mut pay = |e: i64| {
                let p = e.min(left);
                left -= p;
                p
            };
            let paid = Accelerated {
                share_g1: pay(entitled.share_g1),
                share_g2: pay(entitled.share_g2),
                team: pay(entitled.team),
                peer: pay(entitled.peer),
            };
            let mut due = paid.total();
            for &o in fifo.iter().filter(|&&o| snapshot.orders[o].member as usize == m) {
                let take = due.min(remaining[o]);
                remaining[o] -= take;
                due -= take;
            }
            (statics.iter().zip(&snapshot.orders).filter(|(_, o)| o.member as usize == m).map(|(st, _)| st).sum(), entitled, paid)
        })
        .collect();
    (members, remaining)
}

pub(crate) fn arbitrary_params() -> impl Strategy<Value = Params> {
    (
        prop::collection::vec((1i64..40_000, 1u32..60), 0..5),
        prop::sample::select(vec!["0.012", "0.05", "0.333333"]),
        prop::sample::select(vec![vec!["0.5", "0.3"], vec!["0.7"], vec!["0.123457", "0.000001"]]),
        prop::sample::select(vec!["0.03", "0", "0.111111"]),
        0i64..4,
        prop::option::of(1i64..5),
    )
        .prop_map(|(steps, release, shares, peer, peer_generations, depth)| {
            let mut document = ParamsDocument::from(defaults());
            let (mut minimum, mut rate) = (0i64, 0u32);
            document.team_tiers = steps
                .into_iter()
                .enumerate()
                .filter_map(|(i, (volume_step, rate_step))| {
                    minimum += volume_step;
                    rate += rate_step;
                    (rate <= 100).then(|| TeamTierDocument {
                        name: format!("t{i}"),
                        min_volume: Money::from_fen(minimum).unwrap().to_string(),
                        rate: format!("{}", Decimal::new(i64::from(rate), 2)),
                    })
                })
                .collect();
            document.release_rate = release.into();
            document.share_rates = shares.into_iter().map(String::from).collect();
            document.peer_rate = peer.into();
            document.peer_generations = peer_generations;
            document.team_max_depth = depth;
            Params::parse(document).unwrap()
        })
}

pub(crate) fn arbitrary_snapshot() -> impl Strategy<Value = Snapshot> {
    (1usize..40)
        .prop_flat_map(|n| {
            let sponsors = (0..n)
                .map(|i| if i == 0 { Just(None).boxed() } else { prop::option::weighted(0.95, 0..i as u32).boxed() })
                .collect::<Vec<_>>();
            let orders = prop::collection::vec(
                (
                    0..n as u32,
                    prop::sample::select(vec!["a", "B", "b", "a1", "Z9"]),
                    prop_oneof![Just(300_000i64), Just(900_000), 1i64..10_000_000],
                    0i64..4,
                    prop_oneof![1i64..2_000, 0i64..100_000_000],
                ),
                0..3 * n,
            );
            (sponsors, orders)
        })
        .prop_map(|(sponsors, orders)| {
            let mut snapshot = Snapshot { members: sponsors.into_iter().map(|s| member(s, 0)).collect(), orders: Vec::new() };
            for (k, (m, id, amount, paid_at, remaining)) in orders.into_iter().enumerate() {
                snapshot.members[m as usize].own_volume_fen += amount;
                snapshot.orders.push(order(m, &format!("{id}-{k}"), amount, paid_at, remaining));
            }
            snapshot
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_engine_equals_the_literal_walk_of_the_spec(snapshot in arbitrary_snapshot(), params in arbitrary_params()) {
        let result = settle(&snapshot, &Rules::of(&params)).unwrap();
        let (members, remaining) = oracle(&snapshot, &params);
        for (i, (static_fen, entitled, paid)) in members.into_iter().enumerate() {
            prop_assert_eq!(result.members[i].static_fen, static_fen, "static of {}", i);
            prop_assert_eq!(result.members[i].entitled, entitled, "entitled of {}", i);
            prop_assert_eq!(result.members[i].paid, paid, "paid of {}", i);
        }
        for (o, day) in result.orders.iter().enumerate() {
            prop_assert_eq!(snapshot.orders[o].remaining_fen - day.static_fen - day.deducted_fen, remaining[o], "order {}", o);
        }
    }

    #[test]
    fn points_leave_the_pools_exactly_as_credited_and_nothing_goes_negative(snapshot in arbitrary_snapshot(), params in arbitrary_params()) {
        let result = settle(&snapshot, &Rules::of(&params)).unwrap();
        let released: i64 = result.members.iter().map(MemberDay::released_fen).sum();
        let left_pools: i64 = result.orders.iter().map(|d| d.static_fen + d.deducted_fen).sum();
        prop_assert_eq!(released, left_pools);
        for (order, day) in snapshot.orders.iter().zip(&result.orders) {
            prop_assert!(day.static_fen >= 0 && day.deducted_fen >= 0);
            prop_assert!(order.remaining_fen - day.static_fen - day.deducted_fen >= 0);
        }
        for day in &result.members {
            prop_assert!(day.amounts().forfeited >= 0);
            prop_assert!(day.paid.share_g1 <= day.entitled.share_g1 && day.paid.team <= day.entitled.team);
        }
    }

    #[test]
    fn walking_up_from_every_release_gives_the_same_branches_as_folding(snapshot in arbitrary_snapshot(), params in arbitrary_params()) {
        let rules = Rules::of(&params);
        let tree = Tree::of(&snapshot).unwrap();
        let rank: Vec<u8> = (0..snapshot.members.len()).map(|i| (i % (rules.tier_count() + 1)) as u8).collect();
        let static_fen: Vec<i64> = snapshot.orders.iter().fold(vec![0; snapshot.members.len()], |mut s, o| {
            s[o.member as usize] += o.remaining_fen;
            s
        });
        let folded = bands_by_folding(&tree, &rules, &rank, &static_fen);
        let walked = bands_by_walking(&snapshot, &tree, &rules, &rank, &static_fen, tree.height + 1);
        for (i, member) in snapshot.members.iter().enumerate().filter(|(_, m)| m.sponsor.is_some()) {
            prop_assert_eq!(&folded[i], &walked[i], "branch of {} ({:?})", i, member);
        }
    }
}

//! A synthetic referral network for demos and benchmarks (the `seed` command), and the plain
//! computation of team aggregates over any tree whose members are in topological order.
//!
//! Everything is drawn from one `ChaCha8Rng` seeded with the caller's seed: the same seed, member
//! count, day count and "today" give the same network, phones, order ids and timestamps included.
//! Uniform draws use the generator's raw 64-bit output (see [`below`]) rather than `rand`'s
//! distributions, so the network does not change when `rand` changes how it samples ranges.
//!
//! Shape: one root (index 0); a few long *lines* in which each new member's sponsor is the
//! previous member of the line (depth in the thousands at 100k members); the other members join
//! under a recent member (bushy, moderately deep parts) or under an existing member picked by
//! preferential attachment (hubs). Every member's index is greater than its sponsor's.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use super::order_id::OrderId;
use super::phone::Phone;

/// The length of a business day as the generator counts it, back from today's start.
pub const DAY_MS: i64 = 86_400_000;

/// The most members a network can have: every member gets its own 8-digit phone suffix.
pub const MAX_MEMBERS: usize = 100_000_000;

/// One member; its index in [`Network::members`] is its identity in the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedMember {
    pub phone: Phone,
    /// The sponsor's index, always smaller than this member's; `None` for the root only.
    pub sponsor: Option<usize>,
    /// When the member joined: never before its sponsor, never after its first order.
    pub created_at_ms: i64,
}

/// One order, paid in full in cash (nobody has available points in a fresh network).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedOrder {
    /// Index of the member who placed it.
    pub member: usize,
    /// `SEED-` and a 9-digit number, numbered in the order of payment from 1.
    pub order_id: OrderId,
    pub amount_fen: i64,
    pub points_paid_fen: i64,
    pub paid_at_ms: i64,
}

/// A member's aggregates over everything strictly below it in the tree (every depth).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TeamAggregate {
    /// Sum over the members below of order amounts minus points paid, in fen.
    pub team_cash_fen: i64,
    /// Sum over the members below of points paid, in fen.
    pub team_points_fen: i64,
    /// How many members stand below.
    pub team_size: i64,
}

/// A generated network: members in topological order (sponsor first) and their orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub members: Vec<SeedMember>,
    /// Sorted by payment time (and so by order id).
    pub orders: Vec<SeedOrder>,
}

/// Share of members that extend one of the long lines, per mille.
const LINE_PER_MILLE: u64 = 80;
/// How many lines grow at the same time.
const LINES: usize = 3;
/// A line stops after this many members (drawn per line) and a new one starts elsewhere.
const LINE_LENGTH: (u64, u64) = (1_500, 4_000);
/// Share of the other members that join under one of the most recent members, per mille.
const RECENT_PER_MILLE: u64 = 500;
/// How far back "recent" reaches.
const RECENT_WINDOW: usize = 64;
/// How much each direct referral adds to a member's chance of being picked by preferential
/// attachment (being a member at all counts 1): the higher, the bigger the hubs.
const REFERRAL_WEIGHT: usize = 3;
/// Members join during this share of the window, so the last ones still have time to order.
const JOIN_SHARE: (i64, i64) = (9, 10);

/// Mobile prefixes (号段) the phones start with; each is `1[3-9]` and a digit.
const PREFIXES: &[u16] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 170, 171, 173, 175, 176, 177,
    178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 195, 198, 199,
];

/// A uniform draw in `0..n` (`n > 0`) from the raw output: the top 64 bits of `u64 × n`
/// (the bias, below n / 2^64, does not matter here).
fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    debug_assert!(n > 0);
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}

/// True with probability `per_mille` / 1000.
fn chance(rng: &mut ChaCha8Rng, per_mille: u64) -> bool {
    below(rng, 1000) < per_mille
}

struct Line {
    tail: Option<usize>,
    remaining: u64,
}

impl Network {
    /// Generates `members` members (at least the root when `members > 0`) and their orders,
    /// paid over the `days` days before `today_start_ms` (today's local 00:00 as UTC
    /// milliseconds), each day counted as [`DAY_MS`]; every order is paid strictly before
    /// `today_start_ms`. `days` of 0 is taken as 1.
    ///
    /// # Panics
    /// When `members` exceeds [`MAX_MEMBERS`].
    pub fn generate(members: usize, seed: u64, days: u32, today_start_ms: i64) -> Network {
        assert!(members <= MAX_MEMBERS, "at most {MAX_MEMBERS} members");
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let window_ms = i64::from(days.max(1)) * DAY_MS;
        let window_start = today_start_ms - window_ms;
        let join_span = window_ms / JOIN_SHARE.1 * JOIN_SHARE.0;

        // Phones: a prefix drawn per member and an 8-digit suffix that is an affine permutation
        // of the index modulo 10^8 (multiplier coprime to 10^8), so suffixes never repeat.
        const SUFFIXES: u64 = 100_000_000;
        let mut multiplier = below(&mut rng, SUFFIXES) | 1;
        if multiplier.is_multiple_of(5) {
            multiplier += 2;
        }
        let offset = below(&mut rng, SUFFIXES);

        let mut sponsors: Vec<Option<usize>> = Vec::with_capacity(members);
        // Each member once, plus REFERRAL_WEIGHT times per direct referral: a uniform pick is preferential.
        let mut targets: Vec<usize> = Vec::with_capacity(members.saturating_mul(REFERRAL_WEIGHT + 1));
        let mut lines: Vec<Line> = (0..LINES).map(|_| Line { tail: None, remaining: 0 }).collect();
        let mut out = Vec::with_capacity(members);
        // (paid_at_ms, member, amount_fen), numbered once all are known.
        let mut paid: Vec<(i64, usize, i64)> = Vec::new();

        for index in 0..members {
            let sponsor = if index == 0 {
                None
            } else if chance(&mut rng, LINE_PER_MILLE) {
                let line = &mut lines[below(&mut rng, LINES as u64) as usize];
                if line.remaining == 0 || line.tail.is_none() {
                    line.tail = Some(targets[below(&mut rng, targets.len() as u64) as usize]);
                    line.remaining = LINE_LENGTH.0 + below(&mut rng, LINE_LENGTH.1 - LINE_LENGTH.0 + 1);
                }
                let sponsor = line.tail;
                line.tail = Some(index);
                line.remaining -= 1;
                sponsor
            } else if chance(&mut rng, RECENT_PER_MILLE) {
                let window = index.min(RECENT_WINDOW) as u64;
                Some(index - 1 - below(&mut rng, window) as usize)
            } else {
                Some(targets[below(&mut rng, targets.len() as u64) as usize])
            };
            if let Some(sponsor) = sponsor {
                targets.extend([sponsor; REFERRAL_WEIGHT]);
            }
            targets.push(index);
            sponsors.push(sponsor);

            let prefix = PREFIXES[below(&mut rng, PREFIXES.len() as u64) as usize];
            let suffix = (multiplier * index as u64 + offset) % SUFFIXES;
            let phone = Phone::parse(&format!("{prefix}{suffix:08}")).expect("a generated phone is valid");

            // Join times rise with the index: member i joins within its own slice of the span.
            let lo = (i128::from(join_span) * index as i128 / members as i128) as i64;
            let hi = (i128::from(join_span) * (index as i128 + 1) / members as i128) as i64;
            let created_at_ms = window_start + lo + below(&mut rng, (hi - lo).max(1) as u64) as i64;

            for _ in 0..order_count(&mut rng) {
                let paid_at_ms = created_at_ms + below(&mut rng, (today_start_ms - created_at_ms) as u64) as i64;
                paid.push((paid_at_ms, index, order_amount(&mut rng)));
            }
            out.push(SeedMember { phone, sponsor, created_at_ms });
        }

        // Number the orders in the order they were paid (ties by member, then generation order).
        paid.sort_by_key(|&(paid_at_ms, member, _)| (paid_at_ms, member));
        let orders = paid
            .into_iter()
            .enumerate()
            .map(|(n, (paid_at_ms, member, amount_fen))| SeedOrder {
                member,
                order_id: OrderId::parse(&format!("SEED-{:09}", n + 1)).expect("a generated order id is valid"),
                amount_fen,
                points_paid_fen: 0,
                paid_at_ms,
            })
            .collect();
        Network { members: out, orders }
    }

    /// Each member's sponsor index.
    pub fn sponsors(&self) -> Vec<Option<usize>> {
        self.members.iter().map(|m| m.sponsor).collect()
    }

    /// Each member's own volume of non-refunded orders (all seeded orders are live): cash and points.
    pub fn own_volumes(&self) -> (Vec<i64>, Vec<i64>) {
        let mut cash = vec![0; self.members.len()];
        let mut points = vec![0; self.members.len()];
        for order in &self.orders {
            cash[order.member] += order.amount_fen - order.points_paid_fen;
            points[order.member] += order.points_paid_fen;
        }
        (cash, points)
    }

    /// Every member's team aggregates.
    pub fn team_aggregates(&self) -> Vec<TeamAggregate> {
        let (cash, points) = self.own_volumes();
        team_aggregates(&self.sponsors(), &cash, &points)
    }

    /// Each member's depth (the root is at 0).
    pub fn depths(&self) -> Vec<u32> {
        depths(&self.sponsors())
    }

    /// The depth of the deepest member (0 for a lone root or an empty network).
    pub fn max_depth(&self) -> u32 {
        self.depths().into_iter().max().unwrap_or(0)
    }
}

/// How many orders a member places: 0 to 4, mostly 1 or 2.
fn order_count(rng: &mut ChaCha8Rng) -> u32 {
    match below(rng, 100) {
        0..10 => 0,
        10..50 => 1,
        50..80 => 2,
        80..92 => 3,
        _ => 4,
    }
}

/// An order amount in fen: mostly exactly an order level's minimum (3000, 9000, 27000, 51000
/// yuan), sometimes an amount in between (to the 0.10 yuan), sometimes below the lowest level.
fn order_amount(rng: &mut ChaCha8Rng) -> i64 {
    match below(rng, 100) {
        0..45 => 300_000,
        45..70 => 900_000,
        70..80 => 2_700_000,
        80..85 => 5_100_000,
        85..95 => 300_000 + below(rng, 570_000) as i64 * 10,
        _ => 1_000 + below(rng, 29_900) as i64 * 10,
    }
}

/// Team aggregates of every member in one pass, children before parents (reverse index order).
/// `sponsors[i]` is member i's sponsor; the only requirement is that a sponsor's index is smaller
/// than its member's. `own_cash[i]` and `own_points[i]` are member i's own non-refunded volume
/// (cash part and points part); a member's own volume counts for its uplines, not for itself.
///
/// # Panics
/// When the slices differ in length or a sponsor's index is not smaller than its member's.
pub fn team_aggregates(sponsors: &[Option<usize>], own_cash: &[i64], own_points: &[i64]) -> Vec<TeamAggregate> {
    assert_eq!(sponsors.len(), own_cash.len(), "one own cash volume per member");
    assert_eq!(sponsors.len(), own_points.len(), "one own points volume per member");
    let mut aggregates = vec![TeamAggregate::default(); sponsors.len()];
    for index in (0..sponsors.len()).rev() {
        if let Some(sponsor) = sponsors[index] {
            assert!(sponsor < index, "member {index}'s sponsor {sponsor} must come before it");
            let below = aggregates[index];
            let up = &mut aggregates[sponsor];
            up.team_cash_fen += below.team_cash_fen + own_cash[index];
            up.team_points_fen += below.team_points_fen + own_points[index];
            up.team_size += below.team_size + 1;
        }
    }
    aggregates
}

/// Each member's depth (a member without a sponsor is at 0), parents before children.
///
/// # Panics
/// When a sponsor's index is not smaller than its member's.
pub fn depths(sponsors: &[Option<usize>]) -> Vec<u32> {
    let mut depths = vec![0u32; sponsors.len()];
    for (index, sponsor) in sponsors.iter().enumerate() {
        if let Some(sponsor) = *sponsor {
            assert!(sponsor < index, "member {index}'s sponsor {sponsor} must come before it");
            depths[index] = depths[sponsor] + 1;
        }
    }
    depths
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// 2026-01-10 00:00 in Asia/Shanghai, as UTC milliseconds.
    const TODAY: i64 = 1_767_974_400_000;

    #[test]
    fn the_same_seed_gives_the_same_network() {
        let a = Network::generate(5_000, 42, 30, TODAY);
        let b = Network::generate(5_000, 42, 30, TODAY);
        assert_eq!(a, b);
    }

    #[test]
    fn a_different_seed_gives_a_different_network() {
        let a = Network::generate(5_000, 1, 30, TODAY);
        let b = Network::generate(5_000, 2, 30, TODAY);
        assert_ne!(a.sponsors(), b.sponsors());
        assert_ne!(a.members[1].phone, b.members[1].phone);
        assert_ne!(a.orders.iter().map(|o| o.paid_at_ms).collect::<Vec<_>>(), b.orders.iter().map(|o| o.paid_at_ms).collect::<Vec<_>>());
    }

    #[test]
    fn phones_are_valid_mainland_numbers_and_unique() {
        let network = Network::generate(100_000, 3, 30, TODAY);
        let mut seen = HashSet::new();
        for member in &network.members {
            let text = member.phone.as_str();
            assert_eq!(text.len(), 11);
            assert!(text.starts_with('1') && (b'3'..=b'9').contains(&text.as_bytes()[1]), "{text}");
            assert!(text.bytes().all(|b| b.is_ascii_digit()), "{text}");
            assert!(seen.insert(text.to_string()), "{text} appears twice");
        }
    }

    #[test]
    fn every_sponsor_comes_before_its_members_and_only_the_root_has_none() {
        let network = Network::generate(20_000, 4, 30, TODAY);
        assert_eq!(network.members[0].sponsor, None);
        for (index, member) in network.members.iter().enumerate().skip(1) {
            let sponsor = member.sponsor.expect("every member but the root has a sponsor");
            assert!(sponsor < index);
            assert!(network.members[sponsor].created_at_ms <= member.created_at_ms);
        }
    }

    #[test]
    fn depth_reaches_the_thousands_at_a_hundred_thousand_members() {
        for seed in [1, 2, 3] {
            let network = Network::generate(100_000, seed, 30, TODAY);
            let depth = network.max_depth();
            assert!(depth >= 1_000, "seed {seed}: max depth {depth}");
            // Still bushy: hubs with dozens of direct referrals.
            let mut direct = vec![0; network.members.len()];
            for sponsor in network.sponsors().into_iter().flatten() {
                direct[sponsor] += 1;
            }
            let widest = direct.iter().max().copied().unwrap_or(0);
            assert!(widest >= 40, "seed {seed}: at most {widest} direct referrals");
        }
    }

    #[test]
    fn orders_are_paid_within_the_days_before_today_and_after_their_member_joined() {
        let days = 30;
        let network = Network::generate(20_000, 5, days, TODAY);
        let start = TODAY - i64::from(days) * DAY_MS;
        assert!(network.orders.len() > network.members.len(), "several orders per member on average");
        for order in &network.orders {
            assert!(order.paid_at_ms >= start && order.paid_at_ms < TODAY, "{order:?}");
            assert!(order.paid_at_ms >= network.members[order.member].created_at_ms);
            assert_eq!(order.points_paid_fen, 0);
            assert!(order.amount_fen > 0);
        }
        for member in &network.members {
            assert!(member.created_at_ms >= start && member.created_at_ms < TODAY);
        }
        let mut counts = vec![0; network.members.len()];
        for order in &network.orders {
            counts[order.member] += 1;
        }
        assert!(counts.iter().all(|&c| c <= 4));
        let levels = network.orders.iter().filter(|o| [300_000, 900_000, 2_700_000, 5_100_000].contains(&o.amount_fen)).count();
        assert!(levels * 10 > network.orders.len() * 7, "most orders are at an order level's amount");
        assert!(network.orders.iter().any(|o| o.amount_fen < 300_000));
    }

    #[test]
    fn order_ids_are_unique_and_numbered_in_payment_order() {
        let network = Network::generate(2_000, 6, 10, TODAY);
        assert_eq!(network.orders[0].order_id.as_str(), "SEED-000000001");
        for pair in network.orders.windows(2) {
            assert!(pair[0].paid_at_ms <= pair[1].paid_at_ms);
            assert!(pair[0].order_id.as_str() < pair[1].order_id.as_str());
        }
    }

    #[test]
    fn the_aggregates_of_a_small_tree_equal_the_hand_computed_ones() {
        //        0
        //      /   \
        //     1     2
        //    / \     \
        //   3   4     5
        //             |
        //             6
        let sponsors = [None, Some(0), Some(0), Some(1), Some(1), Some(2), Some(5)];
        let cash = [100, 200, 300, 400, 500, 600, 700];
        let points = [1, 2, 3, 4, 5, 6, 7];
        let aggregates = team_aggregates(&sponsors, &cash, &points);
        let expected = [
            (200 + 300 + 400 + 500 + 600 + 700, 2 + 3 + 4 + 5 + 6 + 7, 6),
            (400 + 500, 4 + 5, 2),
            (600 + 700, 6 + 7, 2),
            (0, 0, 0),
            (0, 0, 0),
            (700, 7, 1),
            (0, 0, 0),
        ];
        for (index, (team_cash_fen, team_points_fen, team_size)) in expected.into_iter().enumerate() {
            assert_eq!(aggregates[index], TeamAggregate { team_cash_fen, team_points_fen, team_size }, "member {index}");
        }
        assert_eq!(depths(&sponsors), vec![0, 1, 1, 2, 2, 2, 3]);
    }

    #[test]
    fn the_root_aggregates_everything_but_its_own_orders() {
        let network = Network::generate(3_000, 8, 30, TODAY);
        let aggregates = network.team_aggregates();
        let root_own: i64 = network.orders.iter().filter(|o| o.member == 0).map(|o| o.amount_fen).sum();
        let all: i64 = network.orders.iter().map(|o| o.amount_fen).sum();
        assert_eq!(aggregates[0].team_size, 2_999);
        assert_eq!(aggregates[0].team_cash_fen, all - root_own);
        assert_eq!(aggregates[0].team_points_fen, 0);
    }

    #[test]
    #[should_panic(expected = "must come before it")]
    fn a_sponsor_after_its_member_is_refused() {
        team_aggregates(&[None, Some(2), Some(0)], &[0; 3], &[0; 3]);
    }
}

//! The daily settlement of SPEC §3 as a pure function from a snapshot of one day to its result.
//!
//! One pass over the tree, not a walk per member. The walk of step 2 from a releasing member X
//! up through its uplines carries a state (the highest team rate met so far and how many members
//! at that rate were met); what upline U is entitled to from X depends only on U's own rank and
//! the state the walk arrives with. So every member's *branch* — its own release and everything
//! below it — folds into a few sums keyed by that state ([`Band`]), computed bottom-up from the
//! children's bands. U's entitlements are a function of its direct referrals' branches, which is
//! also how a statement explains itself ("why did I get this").
//!
//! With `team_max_depth` set, a band must also forget sources too far below, so the bands are
//! built by walking up from each releasing member at most that many generations instead.
use std::cmp::Ordering;

use super::rules::{Rules, floor_micros};
use crate::domain::amounts::{Accelerated, ByKind};

/// A member of the snapshot. Members are referred to by their index in [`Snapshot::members`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub sponsor: Option<u32>,
    /// The amounts of the member's non-refunded orders paid before the day (cash and points).
    pub own_volume_fen: i64,
}

/// An order that may release on the day: paid before it, not refunded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub member: u32,
    pub order_id: String,
    pub amount_fen: i64,
    pub paid_at_ms: i64,
    /// The points still in the order before the day.
    pub remaining_fen: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub members: Vec<Member>,
    pub orders: Vec<Order>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SnapshotError {
    #[error("member {member} names sponsor {sponsor}, which is not in the snapshot")]
    UnknownSponsor { member: u32, sponsor: u32 },
    #[error("order {order_id} belongs to member {member}, which is not in the snapshot")]
    UnknownMember { order_id: String, member: u32 },
    #[error("the referral tree has a cycle through member {member}")]
    Cycle { member: u32 },
}

/// The static releases of a branch that arrive at its sponsor with one walk state: the highest
/// tier rank met on the way up (0: none) and how many members of that rank were met, counted up
/// to `peer_generations + 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Band {
    pub rank: u8,
    pub count: u8,
    pub fen: i64,
}

/// A direct referral's branch as its sponsor sees it on a day: what the sponsor's share, team and
/// peer entitlements from it are computed from. The settlement stores the branches of every
/// statement with the referral's phone for `member` (as `phone`), to explain the statement.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Branch<W = u32> {
    /// The direct referral (index in the snapshot, or its phone as stored).
    #[serde(rename = "phone")]
    pub member: W,
    /// The direct referral's own static release (share generation 1).
    pub static_fen: i64,
    /// The static releases of the direct referral's own direct referrals (share generation 2).
    pub children_static_fen: i64,
    /// Every static release of the branch (the referral's own included), by walk state.
    pub bands: Vec<Band>,
}

/// What one band of a branch earns a recipient per fen released (SPEC §3 step 2), in millionths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandPay {
    /// The team differential: the recipient's team rate minus the highest rate met on the way up.
    Team(i64),
    /// The peer bonus: the highest rate met is the recipient's own, with peer generations left.
    Peer(i64),
}

impl BandPay {
    pub fn rate_micros(self) -> i64 {
        match self {
            BandPay::Team(rate) | BandPay::Peer(rate) => rate,
        }
    }
}

/// What `band` earns a recipient of rank `recipient_rank`, if anything (a band whose highest rank
/// is above the recipient's earns it nothing, nor does a peer band past the peer generations).
pub fn band_pay(rules: &Rules, recipient_rank: u8, band: &Band) -> Option<BandPay> {
    match recipient_rank.cmp(&band.rank) {
        Ordering::Greater => Some(BandPay::Team(rules.rank_micros(recipient_rank) - rules.rank_micros(band.rank))),
        Ordering::Equal if band.rank > 0 && band.count <= rules.peer_generations() => Some(BandPay::Peer(rules.peer_micros())),
        _ => None,
    }
}

/// What a recipient of rank `recipient_rank` is entitled to from one branch, before rounding, in
/// millionths of a fen.
pub fn contribution<W>(rules: &Rules, recipient_rank: u8, branch: &Branch<W>) -> Accelerated<i128> {
    let [g1, g2] = rules.share_micros();
    let mut exact = Accelerated {
        share_g1: i128::from(g1) * i128::from(branch.static_fen),
        share_g2: i128::from(g2) * i128::from(branch.children_static_fen),
        ..Accelerated::default()
    };
    for band in &branch.bands {
        match band_pay(rules, recipient_rank, band) {
            Some(BandPay::Team(rate)) => exact.team += i128::from(rate) * i128::from(band.fen),
            Some(BandPay::Peer(rate)) => exact.peer += i128::from(rate) * i128::from(band.fen),
            None => {}
        }
    }
    exact
}

/// One member's day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberDay {
    pub team_volume_fen: i64,
    pub tier_rank: u8,
    pub static_fen: i64,
    /// The day's entitlements, each kind summed exactly and rounded down once.
    pub entitled: Accelerated<i64>,
    /// What the pool could pay of them (step 3).
    pub paid: Accelerated<i64>,
    /// The direct referrals' branches this member is entitled to something from.
    pub branches: Vec<Branch>,
}

impl MemberDay {
    /// The day's statement: static, the paid kinds, and the rest of the entitlements forfeited.
    pub fn amounts(&self) -> ByKind<i64> {
        ByKind::new(self.static_fen, self.paid, self.entitled.total() - self.paid.total())
    }

    /// Static plus paid accelerated release: what leaves the pool for available.
    pub fn released_fen(&self) -> i64 {
        self.static_fen + self.paid.total()
    }

    /// Members with any movement get a statement.
    pub fn has_movement(&self) -> bool {
        self.static_fen > 0 || self.entitled.total() > 0
    }
}

/// One order's day; the order's remaining after the day is `remaining − static − deducted`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderDay {
    pub static_fen: i64,
    /// Accelerated release paid out of this order (oldest orders first).
    pub deducted_fen: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayResult {
    /// Indexed like [`Snapshot::members`].
    pub members: Vec<MemberDay>,
    /// Indexed like [`Snapshot::orders`].
    pub orders: Vec<OrderDay>,
}

/// Settles one day. Fails only on a snapshot that is not a forest of known members.
pub fn settle(snapshot: &Snapshot, rules: &Rules) -> Result<DayResult, SnapshotError> {
    let tree = Tree::of(snapshot)?;
    let n = snapshot.members.len();

    // Team volume (strictly below), bottom-up, and the tier it reaches.
    let mut team_volume = vec![0i64; n];
    for &i in tree.top_down.iter().rev() {
        if let Some(sponsor) = snapshot.members[i].sponsor {
            team_volume[sponsor as usize] += team_volume[i] + snapshot.members[i].own_volume_fen;
        }
    }
    let rank: Vec<u8> = team_volume.iter().map(|&volume| rules.rank(volume)).collect();

    // Step 1: static release of every order, summed per member.
    let mut orders: Vec<OrderDay> = snapshot
        .orders
        .iter()
        .map(|order| OrderDay { static_fen: order.remaining_fen.min(rules.daily_release_fen(order.amount_fen)), deducted_fen: 0 })
        .collect();
    let mut static_fen = vec![0i64; n];
    for (order, day) in snapshot.orders.iter().zip(&orders) {
        static_fen[order.member as usize] += day.static_fen;
    }
    let mut children_static = vec![0i64; n];
    for (i, member) in snapshot.members.iter().enumerate() {
        if let Some(sponsor) = member.sponsor {
            children_static[sponsor as usize] += static_fen[i];
        }
    }

    // Step 2: every member's branch as its sponsor sees it, then entitlements from the branches.
    let mut bands = match rules.team_max_depth() {
        Some(depth) if depth < tree.height => bands_by_walking(snapshot, &tree, rules, &rank, &static_fen, depth),
        _ => bands_by_folding(&tree, rules, &rank, &static_fen),
    };
    let mut members: Vec<MemberDay> = (0..n)
        .map(|i| MemberDay { team_volume_fen: team_volume[i], tier_rank: rank[i], static_fen: static_fen[i], ..MemberDay::default() })
        .collect();
    for (recipient, day) in members.iter_mut().enumerate() {
        let mut exact = Accelerated::<i128>::default();
        for &child in tree.children(recipient) {
            let branch = Branch {
                member: child as u32,
                static_fen: static_fen[child],
                children_static_fen: children_static[child],
                // Each member is in exactly one sponsor's list: its bands are needed once.
                bands: std::mem::take(&mut bands[child]),
            };
            let from_branch = contribution(rules, rank[recipient], &branch);
            if from_branch != Accelerated::default() {
                exact += from_branch;
                day.branches.push(branch);
            }
        }
        day.entitled = exact.map(floor_micros);
    }

    // Step 3: pay each kind in turn out of what is left in the pool, oldest orders first.
    let mut by_member: Vec<usize> = (0..snapshot.orders.len()).collect();
    by_member.sort_by(|&a, &b| {
        let (x, y) = (&snapshot.orders[a], &snapshot.orders[b]);
        (x.member, x.paid_at_ms, x.order_id.as_bytes()).cmp(&(y.member, y.paid_at_ms, y.order_id.as_bytes()))
    });
    let mut pool_left = vec![0i64; n];
    for (order, day) in snapshot.orders.iter().zip(&orders) {
        pool_left[order.member as usize] += order.remaining_fen - day.static_fen;
    }
    for (i, day) in members.iter_mut().enumerate() {
        let mut left = pool_left[i];
        let pay = |entitled: i64| {
            let paid = entitled.min(left);
            left -= paid;
            paid
        };
        // `map` takes the kinds in the order they are paid.
        day.paid = day.entitled.map(pay);
    }
    let mut to_deduct: Vec<i64> = members.iter().map(|day| day.paid.total()).collect();
    for &o in &by_member {
        let member = snapshot.orders[o].member as usize;
        if to_deduct[member] == 0 {
            continue;
        }
        let left_in_order = snapshot.orders[o].remaining_fen - orders[o].static_fen;
        let deducted = left_in_order.min(to_deduct[member]);
        orders[o].deducted_fen = deducted;
        to_deduct[member] -= deducted;
    }
    Ok(DayResult { members, orders })
}

/// The referral forest in arrays: children lists and an order with every sponsor before its
/// referrals.
struct Tree {
    child_start: Vec<usize>,
    child_list: Vec<usize>,
    top_down: Vec<usize>,
    sponsor: Vec<Option<usize>>,
    /// Generations in the longest chain.
    height: u32,
}

impl Tree {
    fn of(snapshot: &Snapshot) -> Result<Tree, SnapshotError> {
        let n = snapshot.members.len();
        let mut sponsor = Vec::with_capacity(n);
        let mut child_start = vec![0usize; n + 1];
        for (i, member) in snapshot.members.iter().enumerate() {
            let parent = match member.sponsor {
                Some(s) if s as usize >= n => {
                    return Err(SnapshotError::UnknownSponsor { member: i as u32, sponsor: s });
                }
                other => other.map(|s| s as usize),
            };
            if let Some(p) = parent {
                child_start[p + 1] += 1;
            }
            sponsor.push(parent);
        }
        if let Some(order) = snapshot.orders.iter().find(|order| order.member as usize >= n) {
            return Err(SnapshotError::UnknownMember { order_id: order.order_id.clone(), member: order.member });
        }
        for i in 0..n {
            child_start[i + 1] += child_start[i];
        }
        let mut fill = child_start.clone();
        let mut child_list = vec![0usize; n];
        for (i, parent) in sponsor.iter().enumerate() {
            if let Some(p) = *parent {
                child_list[fill[p]] = i;
                fill[p] += 1;
            }
        }
        let mut tree = Tree { child_start, child_list, top_down: Vec::with_capacity(n), sponsor, height: 0 };
        let mut depth = vec![0u32; n];
        tree.top_down.extend((0..n).filter(|&i| tree.sponsor[i].is_none()));
        let mut next = 0;
        while next < tree.top_down.len() {
            let parent = tree.top_down[next];
            next += 1;
            for k in tree.child_start[parent]..tree.child_start[parent + 1] {
                let child = tree.child_list[k];
                depth[child] = depth[parent] + 1;
                tree.height = tree.height.max(depth[child]);
                tree.top_down.push(child);
            }
        }
        if tree.top_down.len() < n {
            let mut reached = vec![false; n];
            for &i in &tree.top_down {
                reached[i] = true;
            }
            let member = reached.iter().position(|&r| !r).expect("some member was not reached") as u32;
            return Err(SnapshotError::Cycle { member });
        }
        Ok(tree)
    }

    fn children(&self, member: usize) -> &[usize] {
        &self.child_list[self.child_start[member]..self.child_start[member + 1]]
    }
}

/// The walk state after passing an upline of rank `rank` (SPEC §3 step 2, without the payment).
fn step(rules: &Rules, state: (u8, u8), rank: u8) -> (u8, u8) {
    let (highest, count) = state;
    match rank.cmp(&highest) {
        Ordering::Greater => (rank, 1),
        Ordering::Equal if highest > 0 => (highest, (count + 1).min(rules.peer_generations() + 1)),
        _ => state,
    }
}

/// Sums by walk state, with a dense scratch table; states are `rank × (peer_generations + 2) + count`.
struct BandTable {
    width: usize,
    sums: Vec<i64>,
    touched: Vec<usize>,
}

impl BandTable {
    fn new(rules: &Rules) -> BandTable {
        let width = usize::from(rules.peer_generations()) + 2;
        BandTable { width, sums: vec![0; (rules.tier_count() + 1) * width], touched: Vec::new() }
    }

    fn add(&mut self, (rank, count): (u8, u8), fen: i64) {
        if fen == 0 {
            return;
        }
        let key = usize::from(rank) * self.width + usize::from(count);
        if self.sums[key] == 0 {
            self.touched.push(key);
        }
        self.sums[key] += fen;
    }

    /// The non-zero sums in state order, leaving the table empty.
    fn drain(&mut self) -> Vec<Band> {
        self.touched.sort_unstable();
        let width = self.width;
        let bands = self
            .touched
            .iter()
            .map(|&key| Band { rank: (key / width) as u8, count: (key % width) as u8, fen: std::mem::take(&mut self.sums[key]) })
            .collect();
        self.touched.clear();
        bands
    }
}

/// Without a depth limit: a branch is the member's own release (no state yet) plus its
/// referrals' branches, each passed through the member.
fn bands_by_folding(tree: &Tree, rules: &Rules, rank: &[u8], static_fen: &[i64]) -> Vec<Vec<Band>> {
    let mut bands: Vec<Vec<Band>> = vec![Vec::new(); rank.len()];
    let mut table = BandTable::new(rules);
    for &i in tree.top_down.iter().rev() {
        table.add((0, 0), static_fen[i]);
        for &child in tree.children(i) {
            for band in &bands[child] {
                table.add(step(rules, (band.rank, band.count), rank[i]), band.fen);
            }
        }
        bands[i] = table.drain();
    }
    bands
}

/// With a depth limit: each release is added to the branch it passes through on its way up, for
/// at most `max_depth` generations.
fn bands_by_walking(snapshot: &Snapshot, tree: &Tree, rules: &Rules, rank: &[u8], static_fen: &[i64], max_depth: u32) -> Vec<Vec<Band>> {
    let n = snapshot.members.len();
    let width = usize::from(rules.peer_generations()) + 2;
    let mut sums: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    for source in (0..n).filter(|&i| static_fen[i] > 0) {
        let mut state = (0u8, 0u8);
        let mut branch = source;
        for _ in 0..max_depth {
            let Some(upline) = tree.sponsor[branch] else { break };
            let key = usize::from(state.0) * width + usize::from(state.1);
            match sums[branch].iter_mut().find(|(k, _)| *k == key) {
                Some((_, fen)) => *fen += static_fen[source],
                None => sums[branch].push((key, static_fen[source])),
            }
            state = step(rules, state, rank[upline]);
            branch = upline;
        }
    }
    sums.into_iter()
        .map(|mut entries| {
            entries.sort_unstable();
            entries.into_iter().map(|(key, fen)| Band { rank: (key / width) as u8, count: (key % width) as u8, fen }).collect()
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;

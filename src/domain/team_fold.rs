//! The team fold's arithmetic (SPEC §7): what members' uncounted changes (orders, refunds, a new
//! member) add to the team aggregates of their uplines, walked over an in-memory copy of the
//! referral tree. An order writes only its own member; the fold, off the request path, adds what
//! many members changed to the union of their uplines at once.
use std::collections::{BTreeMap, HashMap};

/// Deltas to a team's aggregates: cash volume, points volume (fen) and members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TeamDelta {
    pub cash_fen: i64,
    pub points_fen: i64,
    pub members: i64,
}

impl TeamDelta {
    pub fn negated(self) -> Self {
        TeamDelta { cash_fen: -self.cash_fen, points_fen: -self.points_fen, members: -self.members }
    }

    pub fn is_zero(&self) -> bool {
        *self == TeamDelta::default()
    }
}

impl std::ops::AddAssign for TeamDelta {
    fn add_assign(&mut self, other: TeamDelta) {
        self.cash_fen += other.cash_fen;
        self.points_fen += other.points_fen;
        self.members += other.members;
    }
}

/// What a member changed that its uplines' teams do not count yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncounted {
    pub phone: String,
    /// The sponsor as stored (none for the root).
    pub sponsor: Option<String>,
    pub delta: TeamDelta,
}

/// The fold needs a fresh copy of the tree: a member it is given is not in this copy (and its
/// sponsor is neither), or stands under another sponsor than the copy says.
#[derive(Debug, PartialEq, Eq)]
pub struct StaleTree;

/// The referral tree as the fold walks it: each member's sponsor.
#[derive(Debug, Default)]
pub struct Tree {
    index: HashMap<String, u32>,
    sponsors: Vec<Option<u32>>,
    phones: Vec<String>,
}

impl Tree {
    /// The tree of `(phone, sponsor)` pairs, in any order; `StaleTree` when a sponsor is not among them.
    pub fn of<'a>(members: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Result<Tree, StaleTree> {
        let members: Vec<(&str, Option<&str>)> = members.into_iter().collect();
        let mut tree = Tree::default();
        for &(phone, _) in &members {
            tree.add(phone);
        }
        for &(phone, sponsor) in &members {
            let sponsor = sponsor.map(|s| tree.index.get(s).copied().ok_or(StaleTree)).transpose()?;
            let at = tree.index[phone];
            tree.sponsors[at as usize] = sponsor;
        }
        Ok(tree)
    }

    pub fn len(&self) -> usize {
        self.phones.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phones.is_empty()
    }

    fn add(&mut self, phone: &str) -> u32 {
        if let Some(&at) = self.index.get(phone) {
            return at;
        }
        let at = u32::try_from(self.phones.len()).expect("fewer than 4 billion members");
        self.index.insert(phone.to_string(), at);
        self.sponsors.push(None);
        self.phones.push(phone.to_string());
        at
    }

    /// Places the members of `uncounted` this copy does not have yet (new members, whose sponsors
    /// it has or who come before them); `StaleTree` when one is left whose sponsor it lacks, or
    /// when a member it has stands under another sponsor.
    fn place(&mut self, uncounted: &[Uncounted]) -> Result<(), StaleTree> {
        let mut left: Vec<&Uncounted> = Vec::new();
        for change in uncounted {
            match self.index.get(&change.phone) {
                Some(&at) => {
                    let sponsor = self.sponsors[at as usize].map(|s| self.phones[s as usize].as_str());
                    if sponsor != change.sponsor.as_deref() {
                        return Err(StaleTree);
                    }
                }
                None => left.push(change),
            }
        }
        while !left.is_empty() {
            let before = left.len();
            left.retain(|change| {
                let sponsor = match &change.sponsor {
                    None => None,
                    Some(sponsor) => match self.index.get(sponsor) {
                        Some(&at) => Some(at),
                        None => return true,
                    },
                };
                let at = self.add(&change.phone);
                self.sponsors[at as usize] = sponsor;
                false
            });
            if left.len() == before {
                return Err(StaleTree);
            }
        }
        Ok(())
    }

    /// What `uncounted` adds to the team of every upline of its members, by phone (each upline
    /// once, with the sum over every member below it); members this copy lacks are placed first.
    pub fn fold(&mut self, uncounted: &[Uncounted]) -> Result<BTreeMap<String, TeamDelta>, StaleTree> {
        self.place(uncounted)?;
        let mut sums: HashMap<u32, TeamDelta> = HashMap::new();
        for change in uncounted.iter().filter(|c| !c.delta.is_zero()) {
            let mut at = self.sponsors[self.index[&change.phone] as usize];
            // A copy with a cycle (it cannot be read from a tree) would otherwise walk for ever.
            let mut steps = 0usize;
            while let Some(upline) = at {
                *sums.entry(upline).or_default() += change.delta;
                at = self.sponsors[upline as usize];
                steps += 1;
                if steps > self.phones.len() {
                    return Err(StaleTree);
                }
            }
        }
        Ok(sums.into_iter().filter(|(_, d)| !d.is_zero()).map(|(at, d)| (self.phones[at as usize].clone(), d)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(phone: &str, sponsor: Option<&str>, cash_fen: i64, members: i64) -> Uncounted {
        Uncounted { phone: phone.into(), sponsor: sponsor.map(Into::into), delta: TeamDelta { cash_fen, points_fen: 0, members } }
    }

    fn tree() -> Tree {
        // a ← b ← c, a ← d
        Tree::of([("c", Some("b")), ("a", None), ("b", Some("a")), ("d", Some("a"))]).unwrap()
    }

    #[test]
    fn a_change_adds_to_every_upline_and_not_to_the_member_itself() {
        let sums = tree().fold(&[change("c", Some("b"), 300, 0)]).unwrap();
        let expected = TeamDelta { cash_fen: 300, points_fen: 0, members: 0 };
        assert_eq!(sums, BTreeMap::from([("a".to_string(), expected), ("b".to_string(), expected)]));
    }

    #[test]
    fn changes_of_several_members_are_summed_once_per_upline() {
        let sums = tree().fold(&[change("c", Some("b"), 300, 0), change("d", Some("a"), -100, 0), change("b", Some("a"), 5, 0)]).unwrap();
        assert_eq!(sums["a"], TeamDelta { cash_fen: 205, points_fen: 0, members: 0 });
        assert_eq!(sums["b"], TeamDelta { cash_fen: 300, points_fen: 0, members: 0 });
        assert_eq!(sums.len(), 2);
    }

    #[test]
    fn new_members_are_placed_under_their_sponsors_in_any_order() {
        let mut tree = tree();
        let sums = tree.fold(&[change("f", Some("e"), 100, 1), change("e", Some("c"), 0, 1)]).unwrap();
        assert_eq!(tree.len(), 6);
        assert_eq!(sums["e"], TeamDelta { cash_fen: 100, points_fen: 0, members: 1 });
        assert_eq!(sums["c"], TeamDelta { cash_fen: 100, points_fen: 0, members: 2 });
        assert_eq!(sums["a"], TeamDelta { cash_fen: 100, points_fen: 0, members: 2 });
        assert!(!sums.contains_key("f") && !sums.contains_key("d"));
    }

    #[test]
    fn deltas_that_cancel_out_write_nothing() {
        let sums = tree().fold(&[change("c", Some("b"), 300, 0), change("b", Some("a"), -300, 0)]).unwrap();
        assert_eq!(sums.keys().collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn a_member_under_another_sponsor_or_an_unknown_sponsor_needs_a_fresh_tree() {
        assert_eq!(tree().fold(&[change("c", Some("d"), 1, 0)]), Err(StaleTree));
        assert_eq!(tree().fold(&[change("x", Some("y"), 1, 1)]), Err(StaleTree));
        assert!(Tree::of([("a", Some("z"))]).is_err());
    }
}

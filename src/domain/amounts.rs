//! Amounts by kind of a day's movement (SPEC §3 step 4): what a statement, a payout and a day's
//! totals record, in any unit (fen, exact millionths of a fen, money, formatted text).
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

/// The four kinds of accelerated release, in the order step 3 pays them: what a member is
/// entitled to, or was paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accelerated<T> {
    pub share_g1: T,
    pub share_g2: T,
    pub team: T,
    pub peer: T,
}

/// One member's (or one day's) movement by kind: the static release, the paid accelerated
/// release, and what the pool could not pay of the entitlements (forfeited). As JSON, an object
/// with the fields `static`, `share_g1`, `share_g2`, `team`, `peer` and `forfeited`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByKind<T> {
    pub r#static: T,
    pub share_g1: T,
    pub share_g2: T,
    pub team: T,
    pub peer: T,
    pub forfeited: T,
}

impl Accelerated<&'static str> {
    /// The kinds by their names in JSON.
    pub const NAMES: Accelerated<&'static str> = Accelerated { share_g1: "share_g1", share_g2: "share_g2", team: "team", peer: "peer" };
}

impl<T> Accelerated<T> {
    /// Applies `f` to each kind, in the order step 3 pays them.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Accelerated<U> {
        Accelerated { share_g1: f(self.share_g1), share_g2: f(self.share_g2), team: f(self.team), peer: f(self.peer) }
    }

    pub fn try_map<U, E>(self, mut f: impl FnMut(T) -> Result<U, E>) -> Result<Accelerated<U>, E> {
        Ok(Accelerated { share_g1: f(self.share_g1)?, share_g2: f(self.share_g2)?, team: f(self.team)?, peer: f(self.peer)? })
    }

    /// The kinds in the order step 3 pays them.
    pub fn into_array(self) -> [T; 4] {
        [self.share_g1, self.share_g2, self.team, self.peer]
    }
}

impl<T: Add<Output = T>> Accelerated<T> {
    pub fn total(self) -> T {
        self.share_g1 + self.share_g2 + self.team + self.peer
    }
}

impl ByKind<&'static str> {
    /// The kinds by their names in JSON.
    pub const NAMES: ByKind<&'static str> =
        ByKind { r#static: "static", share_g1: "share_g1", share_g2: "share_g2", team: "team", peer: "peer", forfeited: "forfeited" };
}

impl<T> ByKind<T> {
    /// The movement of a static release, the accelerated release paid, and the forfeited part.
    pub fn new(r#static: T, paid: Accelerated<T>, forfeited: T) -> ByKind<T> {
        let Accelerated { share_g1, share_g2, team, peer } = paid;
        ByKind { r#static, share_g1, share_g2, team, peer, forfeited }
    }

    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> ByKind<U> {
        ByKind {
            r#static: f(self.r#static),
            share_g1: f(self.share_g1),
            share_g2: f(self.share_g2),
            team: f(self.team),
            peer: f(self.peer),
            forfeited: f(self.forfeited),
        }
    }

    pub fn try_map<U, E>(self, mut f: impl FnMut(T) -> Result<U, E>) -> Result<ByKind<U>, E> {
        Ok(ByKind {
            r#static: f(self.r#static)?,
            share_g1: f(self.share_g1)?,
            share_g2: f(self.share_g2)?,
            team: f(self.team)?,
            peer: f(self.peer)?,
            forfeited: f(self.forfeited)?,
        })
    }

    /// Pairs each kind with the same kind of `other` (labels with amounts, say).
    pub fn zip<U>(self, other: ByKind<U>) -> ByKind<(T, U)> {
        ByKind {
            r#static: (self.r#static, other.r#static),
            share_g1: (self.share_g1, other.share_g1),
            share_g2: (self.share_g2, other.share_g2),
            team: (self.team, other.team),
            peer: (self.peer, other.peer),
            forfeited: (self.forfeited, other.forfeited),
        }
    }

    /// The kinds in the order static, share g1, share g2, team, peer, forfeited.
    pub fn into_array(self) -> [T; 6] {
        [self.r#static, self.share_g1, self.share_g2, self.team, self.peer, self.forfeited]
    }
}

impl<T: Add<Output = T>> ByKind<T> {
    /// Everything credited: the static release plus the paid accelerated release (what moves
    /// from the pool to available); the forfeited part is not.
    pub fn credited(self) -> T {
        self.r#static + self.share_g1 + self.share_g2 + self.team + self.peer
    }
}

impl<T: Add<Output = T>> Add for Accelerated<T> {
    type Output = Accelerated<T>;

    fn add(self, other: Accelerated<T>) -> Accelerated<T> {
        Accelerated {
            share_g1: self.share_g1 + other.share_g1,
            share_g2: self.share_g2 + other.share_g2,
            team: self.team + other.team,
            peer: self.peer + other.peer,
        }
    }
}

impl<T: Add<Output = T> + Copy> AddAssign for Accelerated<T> {
    fn add_assign(&mut self, other: Accelerated<T>) {
        *self = *self + other;
    }
}

impl<T: Add<Output = T>> Add for ByKind<T> {
    type Output = ByKind<T>;

    fn add(self, other: ByKind<T>) -> ByKind<T> {
        ByKind {
            r#static: self.r#static + other.r#static,
            share_g1: self.share_g1 + other.share_g1,
            share_g2: self.share_g2 + other.share_g2,
            team: self.team + other.team,
            peer: self.peer + other.peer,
            forfeited: self.forfeited + other.forfeited,
        }
    }
}

impl<T: Add<Output = T> + Copy> AddAssign for ByKind<T> {
    fn add_assign(&mut self, other: ByKind<T>) {
        *self = *self + other;
    }
}

impl<T: Add<Output = T> + Default> Sum for ByKind<T> {
    fn sum<I: Iterator<Item = ByKind<T>>>(iter: I) -> ByKind<T> {
        iter.fold(ByKind::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(values: [i64; 6]) -> ByKind<i64> {
        let [r#static, share_g1, share_g2, team, peer, forfeited] = values;
        ByKind { r#static, share_g1, share_g2, team, peer, forfeited }
    }

    #[test]
    fn the_json_names_the_kinds_static_share_g1_share_g2_team_peer_forfeited_in_that_order() {
        let json = serde_json::to_string(&day([1, 2, 3, 4, 5, 6])).unwrap();
        assert_eq!(json, r#"{"static":1,"share_g1":2,"share_g2":3,"team":4,"peer":5,"forfeited":6}"#);
        assert_eq!(serde_json::from_str::<ByKind<i64>>(&json).unwrap(), day([1, 2, 3, 4, 5, 6]));
    }

    #[test]
    fn the_names_are_those_of_the_json() {
        let json = serde_json::to_value(ByKind::NAMES.map(|name| name.len())).unwrap();
        for name in ByKind::NAMES.into_array() {
            assert_eq!(json[name], name.len(), "{name}");
        }
        let json = serde_json::to_value(Accelerated::NAMES.map(|name| name.len())).unwrap();
        for name in Accelerated::NAMES.into_array() {
            assert_eq!(json[name], name.len(), "{name}");
        }
    }

    #[test]
    fn credited_is_the_static_release_and_the_paid_kinds_without_the_forfeited_part() {
        assert_eq!(day([1, 2, 3, 4, 5, 600]).credited(), 15);
    }

    #[test]
    fn sums_add_kind_by_kind() {
        let total: ByKind<i64> = [day([1, 2, 3, 4, 5, 6]), day([10, 20, 30, 40, 50, 60])].into_iter().sum();
        assert_eq!(total, day([11, 22, 33, 44, 55, 66]));
        assert_eq!(ByKind::new(1, Accelerated { share_g1: 2, share_g2: 3, team: 4, peer: 5 }, 6), day([1, 2, 3, 4, 5, 6]));
        assert_eq!(day([1, 2, 3, 4, 5, 6]).map(|x| x * 2).into_array(), [2, 4, 6, 8, 10, 12]);
    }
}

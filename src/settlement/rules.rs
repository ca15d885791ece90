//! The parameters of one day in the form the engine computes with: integer fen and rates in
//! millionths (exact, because a rate has at most six decimals).
use crate::domain::params::Params;

/// Fen × millionths is an amount in millionths of a fen; dividing by this rounds it down.
pub const MICROS: i128 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    release_micros: i64,
    /// Generation 1 (the sponsor), generation 2 (0 when the scheme pays one generation).
    share_micros: [i64; 2],
    tier_min_fen: Vec<i64>,
    /// The team rate of each rank: index 0 is "no tier" (0), index k the k-th tier.
    rank_micros: Vec<i64>,
    peer_micros: i64,
    peer_generations: u8,
    team_max_depth: Option<u32>,
}

impl Rules {
    pub fn of(params: &Params) -> Rules {
        let shares = params.share_rates();
        Rules {
            release_micros: params.release_rate().micros(),
            share_micros: [shares[0].micros(), shares.get(1).map_or(0, |rate| rate.micros())],
            tier_min_fen: params.team_tiers().iter().map(|tier| tier.min_volume.fen()).collect(),
            rank_micros: std::iter::once(0).chain(params.team_tiers().iter().map(|tier| tier.rate.micros())).collect(),
            peer_micros: params.peer_rate().micros(),
            peer_generations: u8::try_from(params.peer_generations()).expect("at most 10 peer generations"),
            team_max_depth: params.team_max_depth(),
        }
    }

    /// `floor_fen(release_rate × amount)`: what an order releases per day before its cap.
    pub fn daily_release_fen(&self, amount_fen: i64) -> i64 {
        floor_micros(i128::from(self.release_micros) * i128::from(amount_fen))
    }

    /// The tier rank of a team volume: 0 without a tier, k for the k-th tier. Tiers strictly
    /// increase in rate, so comparing ranks compares team rates.
    pub fn rank(&self, team_volume_fen: i64) -> u8 {
        let reached = self.tier_min_fen.partition_point(|&min| min <= team_volume_fen);
        u8::try_from(reached).expect("fewer than 256 tiers")
    }

    pub fn rank_micros(&self, rank: u8) -> i64 {
        self.rank_micros[usize::from(rank)]
    }

    pub fn share_micros(&self) -> [i64; 2] {
        self.share_micros
    }

    pub fn peer_micros(&self) -> i64 {
        self.peer_micros
    }

    pub fn peer_generations(&self) -> u8 {
        self.peer_generations
    }

    pub fn team_max_depth(&self) -> Option<u32> {
        self.team_max_depth
    }

    pub fn tier_count(&self) -> usize {
        self.tier_min_fen.len()
    }
}

/// Millionths of a fen, never negative, rounded down to the fen.
pub fn floor_micros(amount: i128) -> i64 {
    debug_assert!(amount >= 0);
    i64::try_from(amount / MICROS).expect("a day's credit fits in fen")
}

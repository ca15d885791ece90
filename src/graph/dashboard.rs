//! The scheme-wide figures of the admin dashboard. Each is a scan of every member or order, so
//! the pages read them through a short-lived cache (`http::pages::admin::dashboard`).
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult};
use crate::cypher;

#[derive(Clone, Debug, Deserialize)]
pub struct Balances {
    pub members: i64,
    pub pool_fen: Option<i64>,
    pub available_fen: Option<i64>,
    pub frozen_fen: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OrderCounts {
    pub orders: i64,
    pub refunded: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TierCount {
    pub tier_rank: i64,
    pub members: i64,
}

pub async fn balances(graph: &Graph) -> GraphResult<Balances> {
    graph.row(cypher!("dashboard/balances")).await?.ok_or_else(|| GraphError::Corrupt("member totals returned nothing".into()))
}

pub async fn orders(graph: &Graph) -> GraphResult<OrderCounts> {
    graph.row(cypher!("dashboard/orders")).await?.ok_or_else(|| GraphError::Corrupt("order counts returned nothing".into()))
}

pub async fn tiers(graph: &Graph, tier_thresholds_fen: &[i64]) -> GraphResult<Vec<TierCount>> {
    graph.rows(cypher!("dashboard/tiers").param("tier_thresholds_fen", tier_thresholds_fen.to_vec())).await
}

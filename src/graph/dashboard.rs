//! The scheme-wide figures of the admin dashboard. Each is a scan of every member or order, so
//! the pages read them through a short-lived cache (`http::pages::admin::dashboard`).
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult};
use crate::cypher;

#[derive(Clone, Debug, Deserialize)]
pub struct Balances {
    pub members: i64,
    /// Members who joined since the instant asked for (today's start).
    pub joined_since: Option<i64>,
    pub pool_fen: Option<i64>,
    pub available_fen: Option<i64>,
    pub frozen_fen: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OrderCounts {
    pub orders: i64,
    pub refunded: Option<i64>,
    /// Orders paid since the instant asked for (today's start), and their amount.
    pub paid_since: Option<i64>,
    pub sales_since_fen: Option<i64>,
}

/// The withdrawals waiting for a decision.
#[derive(Clone, Debug, Deserialize)]
pub struct Pending {
    pub count: i64,
    pub amount_fen: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TierCount {
    pub tier_rank: i64,
    pub members: i64,
}

pub async fn balances(graph: &Graph, since_ms: i64) -> GraphResult<Balances> {
    graph
        .row(cypher!("dashboard/balances").param("since_ms", since_ms))
        .await?
        .ok_or_else(|| GraphError::Corrupt("member totals returned nothing".into()))
}

pub async fn orders(graph: &Graph, since_ms: i64) -> GraphResult<OrderCounts> {
    graph
        .row(cypher!("dashboard/orders").param("since_ms", since_ms))
        .await?
        .ok_or_else(|| GraphError::Corrupt("order counts returned nothing".into()))
}

pub async fn pending_withdrawals(graph: &Graph) -> GraphResult<Pending> {
    graph
        .row(cypher!("dashboard/pending_withdrawals"))
        .await?
        .ok_or_else(|| GraphError::Corrupt("pending withdrawals returned nothing".into()))
}

pub async fn tiers(graph: &Graph, tier_thresholds_fen: &[i64]) -> GraphResult<Vec<TierCount>> {
    graph.rows(cypher!("dashboard/tiers").param("tier_thresholds_fen", tier_thresholds_fen.to_vec())).await
}

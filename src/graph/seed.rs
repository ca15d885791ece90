//! Bulk writes of a synthetic network (the seed command).
//!
//! Everything is written with `UNWIND $rows` in auto-commit batches of at most [`BATCH_ROWS`]
//! rows. Every node carries exactly the properties the ordinary writes give it
//! (`members/create`, `members/create_root`, `orders/create`); the aggregates the incremental
//! maintenance would have reached (own volume, team volume split cash / points, team size) are
//! computed in memory by [`team_aggregates`] and written once, instead of walking the uplines for
//! every member and order.
//!
//! Three phases, in this order: [`write_member_nodes`] (the nodes, no edges: the fastest kind of
//! write, and no ordering constraint however deep the tree), [`write_sponsorships`] (one
//! `SPONSORED_BY` edge per member, both ends found by the phone constraint's index), then
//! [`write_orders`] (each order with its `PLACED_BY` edge). On the embedded ArcadeDB this beats
//! creating each member together with its sponsor edge level by level: a deep network has one
//! level per generation (thousands), most of them a handful of members, and each statement
//! costs a round trip (measured at 100k members, max depth 2779: 15 s level by level, 4.4 s
//! nodes then edges). Between the phases the members are not yet linked: a seed that fails
//! halfway leaves a database to drop, not to use. [`write_members`] runs the first two.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{Graph, GraphError, GraphResult, bolt_rows};
use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::domain::invitation::InvitationCode;
use crate::domain::money::Money;
use crate::domain::network::{Network, team_aggregates};

/// Rows per statement.
pub const BATCH_ROWS: usize = 10_000;

#[derive(Deserialize)]
struct Created {
    created: i64,
}

#[derive(Deserialize)]
struct PhoneOnly {
    #[allow(dead_code)]
    phone: String,
}

/// Whether the database holds no member yet.
pub async fn is_empty(graph: &Graph) -> GraphResult<bool> {
    Ok(graph.row::<PhoneOnly>(cypher!("seed/any_member")).await?.is_none())
}

#[derive(Serialize)]
struct MemberRow<'a> {
    phone: &'a str,
    invitation_code: String,
    created_at_ms: i64,
    own_cash_fen: i64,
    own_points_fen: i64,
    team_cash_fen: i64,
    team_points_fen: i64,
    team_size: i64,
}

#[derive(Serialize)]
struct SponsorshipRow<'a> {
    phone: &'a str,
    sponsor_phone: &'a str,
}

/// Writes every member of `network` with its aggregates and its sponsorship edge:
/// [`write_member_nodes`] then [`write_sponsorships`]. `progress` is called by both, so it counts
/// up to 2 × members − 1 (each member, then each edge). Expects a database without members.
pub async fn write_members(graph: &Graph, network: &Network, mut progress: impl FnMut(u64)) -> GraphResult<()> {
    write_member_nodes(graph, network, &mut progress).await?;
    write_sponsorships(graph, network, progress).await
}

/// Writes every member node of `network` (the root with its root marker, then the others in
/// index order) with its own and team aggregates, without the sponsorship edges
/// ([`write_sponsorships`] adds them). Calls `progress` with the number of members each
/// statement wrote. Expects a database without members.
pub async fn write_member_nodes(graph: &Graph, network: &Network, mut progress: impl FnMut(u64)) -> GraphResult<()> {
    let Some(root) = network.members.first() else {
        return Ok(());
    };
    let (own_cash, own_points) = network.own_volumes();
    let aggregates = team_aggregates(&network.sponsors(), &own_cash, &own_points);
    // Random codes, as at registration; among a million, two alike are likely (a birthday
    // collision), which would fail their constraint and the seed: each is drawn until it is new.
    let mut drawn = std::collections::HashSet::with_capacity(network.members.len());
    let mut invitation_code = move || loop {
        let code = InvitationCode::generate();
        if drawn.insert(code.clone()) {
            return code.as_str().to_string();
        }
    };
    let created: Option<PhoneOnly> = graph
        .row(
            cypher!("seed/root")
                .param("phone", root.phone.as_str())
                .param("invitation_code", invitation_code())
                .param("created_at_ms", root.created_at_ms)
                .param("own_cash_fen", own_cash[0])
                .param("own_points_fen", own_points[0])
                .param("team_cash_fen", aggregates[0].team_cash_fen)
                .param("team_points_fen", aggregates[0].team_points_fen)
                .param("team_size", aggregates[0].team_size),
        )
        .await?;
    if created.is_none() {
        return Err(GraphError::Corrupt("the root was not created".into()));
    }
    progress(1);

    let mut start = 1;
    while start < network.members.len() {
        let end = (start + BATCH_ROWS).min(network.members.len());
        let rows: Vec<MemberRow> = (start..end)
            .map(|index| MemberRow {
                phone: network.members[index].phone.as_str(),
                invitation_code: invitation_code(),
                created_at_ms: network.members[index].created_at_ms,
                own_cash_fen: own_cash[index],
                own_points_fen: own_points[index],
                team_cash_fen: aggregates[index].team_cash_fen,
                team_points_fen: aggregates[index].team_points_fen,
                team_size: aggregates[index].team_size,
            })
            .collect();
        let created: Option<Created> = graph.row(cypher!("seed/member_nodes").param("rows", bolt_rows(&rows)?)).await?;
        expect_created(created, rows.len(), "members")?;
        progress(rows.len() as u64);
        start = end;
    }
    Ok(())
}

/// Creates the `(member)-[:SPONSORED_BY]->(sponsor)` edge of every member but the root, every
/// member node already written. Calls `progress` with the number of edges each statement created.
pub async fn write_sponsorships(graph: &Graph, network: &Network, mut progress: impl FnMut(u64)) -> GraphResult<()> {
    let rows: Vec<SponsorshipRow> = network
        .members
        .iter()
        .filter_map(|member| {
            member
                .sponsor
                .map(|sponsor| SponsorshipRow { phone: member.phone.as_str(), sponsor_phone: network.members[sponsor].phone.as_str() })
        })
        .collect();
    for chunk in rows.chunks(BATCH_ROWS) {
        let created: Option<Created> = graph.row(cypher!("seed/sponsor_edges").param("rows", bolt_rows(chunk)?)).await?;
        expect_created(created, chunk.len(), "sponsorship edges (a member was missing)")?;
        progress(chunk.len() as u64);
    }
    Ok(())
}

#[derive(Serialize)]
struct OrderRow<'a> {
    order_id: &'a str,
    phone: &'a str,
    amount_fen: i64,
    points_paid_fen: i64,
    paid_at_ms: i64,
    /// Its paid day plus the hold then in force: nothing is settled in a database being seeded.
    start_day: String,
    granted_fen: i64,
    created_at_ms: i64,
    request_hash: String,
}

/// Writes every order of `network`, its members already written. Each order is granted points by
/// the order levels of the parameter version in force on its paid day in `tz`, is recorded as
/// created at its payment time, and has the request hash the order API would have stored.
/// Calls `progress` with the number of orders written by each statement.
pub async fn write_orders(graph: &Graph, network: &Network, tz: Tz, mut progress: impl FnMut(u64)) -> GraphResult<()> {
    let history = super::params::history(graph).await?;
    for chunk in network.orders.chunks(BATCH_ROWS) {
        let rows = chunk
            .iter()
            .map(|order| {
                let phone = network.members[order.member].phone.as_str();
                let paid_at = DateTime::<Utc>::from_timestamp_millis(order.paid_at_ms)
                    .ok_or_else(|| GraphError::Encode(format!("paid_at_ms {} is out of range", order.paid_at_ms)))?;
                let amount =
                    Money::from_fen(order.amount_fen).map_err(|e| GraphError::Encode(format!("amount {}: {e}", order.amount_fen)))?;
                let paid_day = BusinessDay::of(paid_at, tz);
                let in_force = &history.in_force(paid_day).params;
                let granted = in_force.grant(amount).map_err(|e| GraphError::Encode(format!("grant of {amount}: {e}")))?;
                Ok(OrderRow {
                    order_id: order.order_id.as_str(),
                    phone,
                    amount_fen: order.amount_fen,
                    points_paid_fen: order.points_paid_fen,
                    paid_at_ms: order.paid_at_ms,
                    start_day: in_force.start_day_by_paid_day(paid_day).to_string(),
                    granted_fen: granted.fen(),
                    created_at_ms: order.paid_at_ms,
                    request_hash: super::orders::request_hash(
                        order.order_id.as_str(),
                        phone,
                        order.amount_fen,
                        order.points_paid_fen,
                        order.paid_at_ms,
                    ),
                })
            })
            .collect::<GraphResult<Vec<_>>>()?;
        let created: Option<Created> = graph.row(cypher!("seed/orders").param("rows", bolt_rows(&rows)?)).await?;
        expect_created(created, rows.len(), "orders (a member was missing)")?;
        progress(rows.len() as u64);
    }
    Ok(())
}

fn expect_created(created: Option<Created>, expected: usize, what: &str) -> GraphResult<()> {
    let got = created.map_or(0, |c| c.created);
    if got == expected as i64 { Ok(()) } else { Err(GraphError::Corrupt(format!("created {got} of {expected} {what}"))) }
}

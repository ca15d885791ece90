//! What settling a day reads, in bulk: the members with their sponsors and own volumes, and the
//! orders that may release, as the day's fence froze them.
use std::collections::HashMap;

use serde::Deserialize;

use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::graph::{Graph, GraphError, GraphResult};
use crate::settlement::calendar::ReleaseCalendar;
use crate::settlement::engine::{Member, Order, Snapshot};

/// A day's snapshot with what the writes need to name members and orders.
pub struct DaySnapshot {
    pub snapshot: Snapshot,
    /// The phone of each snapshot member, ascending.
    pub phones: Vec<String>,
    /// The granted points of each snapshot order.
    pub granted_fen: Vec<i64>,
}

#[derive(Deserialize)]
struct MemberRead {
    phone: String,
    sponsor_phone: Option<String>,
    previous_sponsor_phone: Option<String>,
    sponsor_from_day: Option<BusinessDay>,
    own_fen: i64,
}

impl MemberRead {
    /// The sponsor in force on `day`: the one before a change that takes effect after it.
    fn sponsor_on(&self, day: BusinessDay) -> Option<&str> {
        match self.sponsor_from_day {
            Some(from) if from > day => self.previous_sponsor_phone.as_deref(),
            _ => self.sponsor_phone.as_deref(),
        }
    }
}

#[derive(Deserialize)]
struct OrderVolumeRead {
    phone: String,
    amount_fen: i64,
}

#[derive(Deserialize)]
struct OrderRead {
    phone: String,
    order_id: String,
    amount_fen: i64,
    paid_at_ms: i64,
    start_day: BusinessDay,
    granted_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<BusinessDay>,
    prev_remaining_fen: Option<i64>,
    prev_remaining_day: Option<BusinessDay>,
}

/// Reads what settling `day` needs, as the day's fence froze it (or, before a fence, as it stands):
/// every member with its sponsor in force on the day and its own volume from the orders taking
/// part in the day, and every such order that may still hold points, with what it holds after the
/// previous day (`calendar`: the settled days). An order takes part in `day` when it starts before
/// it and is not refunded by it: whatever arrived after the fence starts, or is refunded, later.
pub async fn read(graph: &Graph, day: BusinessDay, calendar: &ReleaseCalendar) -> GraphResult<DaySnapshot> {
    let day_text = day.to_string();
    let mut members: Vec<MemberRead> = graph.rows(cypher!("settlements/snapshot_members")).await?;
    members.sort_unstable_by(|a, b| a.phone.cmp(&b.phone));
    let index: HashMap<&str, u32> = members.iter().enumerate().map(|(i, m)| (m.phone.as_str(), i as u32)).collect();
    let find = |phone: &str| index.get(phone).copied().ok_or_else(|| GraphError::Corrupt(format!("no member {phone}")));
    let mut snapshot = Snapshot {
        members: members
            .iter()
            .map(|m| Ok(Member { sponsor: m.sponsor_on(day).map(&find).transpose()?, own_volume_fen: m.own_fen }))
            .collect::<GraphResult<Vec<_>>>()?,
        orders: Vec::new(),
    };
    let late: Vec<OrderVolumeRead> = graph.rows(cypher!("settlements/snapshot_late_orders").param("day", day_text.as_str())).await?;
    for order in late {
        snapshot.members[find(&order.phone)? as usize].own_volume_fen -= order.amount_fen;
    }
    let refunded_later: Vec<OrderVolumeRead> =
        graph.rows(cypher!("settlements/snapshot_refunded_later").param("day", day_text.as_str())).await?;
    for order in refunded_later {
        snapshot.members[find(&order.phone)? as usize].own_volume_fen += order.amount_fen;
    }
    let previous = day.pred();
    let orders: Vec<OrderRead> = graph.rows(cypher!("settlements/snapshot_orders").param("day", day_text.as_str())).await?;
    let mut granted_fen = Vec::with_capacity(orders.len());
    for order in orders {
        // Written by this very day in a run that stopped: what it held before the day was kept.
        let (written_fen, written_day) = if order.remaining_day == Some(day) {
            (
                order.prev_remaining_fen.ok_or_else(|| GraphError::Corrupt(format!("order {} lost its figures", order.order_id)))?,
                order.prev_remaining_day,
            )
        } else {
            (order.remaining_fen, order.remaining_day)
        };
        // The written figures hold after the day they were written, or else after the start day.
        let as_of = written_day.unwrap_or(order.start_day);
        let remaining_fen = calendar.remaining(order.amount_fen, written_fen, as_of, previous);
        if remaining_fen == 0 {
            continue;
        }
        granted_fen.push(order.granted_fen);
        snapshot.orders.push(Order {
            member: find(&order.phone)?,
            order_id: order.order_id,
            amount_fen: order.amount_fen,
            paid_at_ms: order.paid_at_ms,
            remaining_fen,
        });
    }
    let phones = members.into_iter().map(|m| m.phone).collect();
    Ok(DaySnapshot { snapshot, phones, granted_fen })
}

//! An order as the console's member page and the member's 我的订单 show it.
use chrono_tz::Tz;

use crate::domain::order_status::OrderStatus;
use crate::graph::orders::OrderRow;
use crate::http::pages::format::local_time;

pub struct OrderLine {
    pub order_id: String,
    pub paid_at: String,
    pub amount_fen: i64,
    pub points_paid_fen: i64,
    pub granted_fen: i64,
    pub released_fen: i64,
    pub remaining_fen: i64,
    pub status: OrderStatus,
    /// The first day it takes part in a settlement (after a hold or a late arrival, later than
    /// the day after its paid day).
    pub counts_from: Option<String>,
}

impl OrderLine {
    pub fn of(order: OrderRow, tz: Tz) -> OrderLine {
        OrderLine {
            paid_at: local_time(order.paid_at_ms, tz, false),
            amount_fen: order.amount_fen,
            points_paid_fen: order.points_paid_fen,
            granted_fen: order.granted_fen,
            released_fen: order.released_fen,
            remaining_fen: order.remaining_fen,
            status: OrderStatus::of(order.granted_fen, order.remaining_fen, order.refunded),
            counts_from: order.counts_from().ok().map(|day| day.to_string()),
            order_id: order.order_id,
        }
    }
}

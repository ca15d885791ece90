//! Where an order's grant stands: what the pages show in an order's status column.

/// An order's status by its figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus {
    /// Below the lowest order level: it counts in team volume and grants nothing.
    NoGrant,
    /// Its pool still releases every settled day.
    Releasing,
    /// Its whole grant is released (出局): it releases nothing more.
    Exited,
    /// Refunded: its pool was emptied.
    Refunded,
}

impl OrderStatus {
    pub fn of(granted_fen: i64, remaining_fen: i64, refunded: bool) -> OrderStatus {
        match (refunded, granted_fen, remaining_fen) {
            (true, _, _) => OrderStatus::Refunded,
            (false, 0, _) => OrderStatus::NoGrant,
            (false, _, remaining) if remaining > 0 => OrderStatus::Releasing,
            _ => OrderStatus::Exited,
        }
    }

    /// As the pages' markup names it (`data-status`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::NoGrant => "no_grant",
            OrderStatus::Releasing => "releasing",
            OrderStatus::Exited => "exited",
            OrderStatus::Refunded => "refunded",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OrderStatus;

    #[test]
    fn an_order_s_status_follows_its_grant_its_pool_and_its_refund() {
        assert_eq!(OrderStatus::of(750_000, 746_400, false), OrderStatus::Releasing);
        assert_eq!(OrderStatus::of(750_000, 0, false), OrderStatus::Exited);
        assert_eq!(OrderStatus::of(0, 0, false), OrderStatus::NoGrant, "below the lowest level");
        assert_eq!(OrderStatus::of(750_000, 0, true), OrderStatus::Refunded);
        assert_eq!(OrderStatus::of(0, 0, true), OrderStatus::Refunded);
    }
}

//! Pure domain types: no I/O, no actix, no neo4rs.
pub mod day;
pub mod money;
pub mod order_id;
pub mod params;
pub mod phone;

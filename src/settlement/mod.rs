//! The daily settlement (SPEC §3), pure: no I/O, neither actix nor neo4rs.
pub mod calendar;
pub mod engine;
pub mod rules;
pub mod sources;

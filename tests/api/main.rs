//! The integration tests: one binary, each test against the real embedded graph database with a
//! database of its own (see `helpers::spawn_app`).
mod admin_pages;
mod admin_security;
mod analytics;
mod browser;
mod crash;
mod cypher_lint;
mod database_faults;
mod fence;
mod fuzz;
mod helpers;
mod hostile_clients;
mod me;
mod member_browser;
mod member_pages;
mod member_security;
mod members;
mod openapi;
mod operations;
mod orders;
mod pages_client;
mod params;
mod settlement_properties;
mod settlements;
mod two_servers;
mod use_cases;
mod withdrawals;

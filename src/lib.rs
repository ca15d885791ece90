pub mod app;
pub mod cli;
pub mod domain;
pub mod graph;
pub mod http;
pub mod http_client;
pub mod settlement;
pub mod telemetry;

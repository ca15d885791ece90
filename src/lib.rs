pub mod app;
pub mod cli;
pub mod domain;
pub mod graph;
pub mod http;
pub mod settlement;
pub mod telemetry;

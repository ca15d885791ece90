pub mod cli;
pub mod config;
pub mod domain;
pub mod graph;
pub mod http;

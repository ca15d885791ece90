//! Logs to standard error, filtered by `RUST_LOG` (default `info`, the Bolt pool at `warn`; never
//! tracing-actix-web's echo of error answers), and
//! the process's Prometheus metrics (served at `/metrics` with the HTTP layer's own).
use std::sync::LazyLock;

use prometheus::{Histogram, HistogramOpts, IntCounterVec, Opts, Registry};
use tracing_subscriber::EnvFilter;

pub fn init() {
    // neo4rs warns at every new connection to a `neo4j://` address that its client-side routing is
    // experimental; it is not used (see `graph::connection_uri`), so its connection module says errors only.
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,neo4rs=warn,neo4rs::connection=error"));
    // tracing-actix-web logs every error answer with its `Debug`, which can hold what the request
    // carried (a path with a member's phone): never written; the request's span has the status.
    let filter = filter.add_directive("tracing_actix_web::middleware=off".parse().expect("a valid directive"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Every metric of the process.
pub static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::new);

fn registered<C: prometheus::core::Collector + Clone + 'static>(collector: C) -> C {
    REGISTRY.register(Box::new(collector.clone())).expect("each metric is registered once");
    collector
}

/// Database exchanges (a statement, a transaction's begin or commit) by outcome: `ok`, `error`,
/// `timed_out` (the caller stopped waiting; the exchange ran on).
pub static DATABASE_EXCHANGES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    let opts = Opts::new("greenpoints_database_exchanges_total", "Database exchanges by outcome");
    registered(IntCounterVec::new(opts, &["outcome"]).expect("valid metric"))
});

/// Transactions run again after a transient failure (a write conflict, a unique key taken first).
pub static DATABASE_RETRIES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    let opts = Opts::new("greenpoints_database_retries_total", "Transactions run again after a transient failure");
    registered(IntCounterVec::new(opts, &["outcome"]).expect("valid metric"))
});

/// Settlement runs by outcome (`settled`, `failed`).
pub static SETTLEMENT_RUNS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    let opts = Opts::new("greenpoints_settlement_runs_total", "Settlement runs by outcome");
    registered(IntCounterVec::new(opts, &["outcome"]).expect("valid metric"))
});

/// How long settling one day took, from reading its snapshot to marking it settled.
pub static SETTLEMENT_DAY_SECONDS: LazyLock<Histogram> = LazyLock::new(|| {
    let opts = HistogramOpts::new("greenpoints_settlement_day_seconds", "Seconds to settle one day")
        .buckets(vec![0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0]);
    registered(Histogram::with_opts(opts).expect("valid metric"))
});

/// The HTTP layer's metrics (requests by route pattern, method and status, with latency
/// histograms), in the same registry; built once, shared by every server of the process.
pub static HTTP_METRICS: LazyLock<actix_web_prom::PrometheusMetrics> = LazyLock::new(|| {
    actix_web_prom::PrometheusMetricsBuilder::new("greenpoints")
        .registry(REGISTRY.clone())
        .endpoint("/metrics")
        // Paths no route matched are counted under one label, so a scanner cannot grow the series.
        .mask_unmatched_patterns("UNMATCHED")
        .build()
        .expect("the HTTP metrics register once")
});

//! The `greenpoints` command line. Every command applies the schema before it starts.
mod admin;
mod api_key;
mod bench;
mod bench_pages;
mod demo;
mod seed;
mod serve;
mod settle;

use chrono::Utc;
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};

use crate::graph::{Graph, GraphConfig, schema};

#[derive(Parser)]
#[command(name = "greenpoints", version, about = "Green points and dividend scheme server (绿色积分与分红)")]
pub struct Cli {
    #[command(flatten)]
    graph: GraphArgs,
    /// The scheme's time zone: business days are its calendar dates.
    #[arg(long, global = true, env = "GREENPOINTS_TZ", default_value = "Asia/Shanghai")]
    tz: Tz,
    /// Seconds a settlement's claim holds without a sign of life: a run whose process died is
    /// taken over by another this long after.
    #[arg(long, global = true, env = "GREENPOINTS_SETTLEMENT_LEASE_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    settlement_lease_seconds: u64,
    #[command(subcommand)]
    command: Command,
}

/// Where the graph database is (the defaults reach `make db`'s embedded ArcadeDB).
#[derive(Args)]
struct GraphArgs {
    #[arg(long = "graph-uri", global = true, env = "GREENPOINTS_GRAPH_URI", default_value = "bolt://127.0.0.1:7687")]
    uri: String,
    #[arg(long = "graph-user", global = true, env = "GREENPOINTS_GRAPH_USER", default_value = "root")]
    user: String,
    /// No default: `make run` and `make test` pass the embedded database's own (kept in
    /// `.arcadedb/root-password`, made at its first start).
    #[arg(long = "graph-password", global = true, env = "GREENPOINTS_GRAPH_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    #[arg(long = "graph-db", global = true, env = "GREENPOINTS_GRAPH_DB", default_value = "greenpoints")]
    database: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the pages.
    Serve(serve::ServeArgs),
    /// Manage API keys.
    #[command(subcommand)]
    ApiKey(api_key::ApiKeyCommand),
    /// Manage admin accounts.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// The demo `make run` serves: seed, settle through yesterday, print an admin's and a member's login.
    Demo(demo::DemoArgs),
    /// Create a realistic synthetic network in an empty database.
    Seed(seed::SeedArgs),
    /// Settle every unsettled day through a date (catch-up), with a progress bar.
    Settle(settle::SettleArgs),
    /// Show what settling the next unsettled day would pay, writing nothing.
    Preview(settle::PreviewArgs),
    /// Check every conservation rule; exits non-zero naming the first violation.
    Verify,
    /// Measure a day's settlement on a seeded database (and the naive way with --naive-db).
    Bench(bench::BenchArgs),
    /// Measure how fast the admin and member pages answer on this database (median and p99 of each).
    BenchPages(bench_pages::BenchPagesArgs),
}

/// What every command gets: the connected graph with its schema applied, the time zone, and how
/// settlement runs write.
pub struct Context {
    pub graph: Graph,
    pub tz: Tz,
    pub settle: crate::app::settle::Options,
}

impl Context {
    /// The application over this command's database, as the server builds it (with the
    /// development SMS sender: commands send no messages).
    pub fn application(&self) -> crate::app::Application {
        let settings = crate::app::Settings { tz: self.tz, settle: self.settle, ..Default::default() };
        crate::app::Application::build(self.graph.clone(), settings)
    }
}

impl Cli {
    pub fn run(self) -> anyhow::Result<()> {
        crate::telemetry::init();
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        runtime.block_on(async move {
            let config = GraphConfig {
                uri: self.graph.uri,
                user: self.graph.user,
                password: self.graph.password.map(Into::into).ok_or_else(|| {
                    anyhow::anyhow!("no database password: set GREENPOINTS_GRAPH_PASSWORD or --graph-password (`make run` passes the embedded database's)")
                })?,
                database: self.graph.database,
            };
            let graph = Graph::connect(&config).await?;
            let bench_config = config.clone();
            schema::apply(&graph, Utc::now().timestamp_millis()).await?;
            let settle = crate::app::settle::Options {
                lease: std::time::Duration::from_secs(self.settlement_lease_seconds),
                ..Default::default()
            };
            let context = Context { graph, tz: self.tz, settle };
            match self.command {
                Command::Serve(args) => serve::run(context, args).await,
                Command::ApiKey(command) => api_key::run(context, command).await,
                Command::Admin(command) => admin::run(context, command).await,
                Command::Demo(args) => demo::run(&context, args).await,
                Command::Seed(args) => seed::run(&context, args).await,
                Command::Settle(args) => settle::run_settle(&context, args).await,
                Command::Preview(args) => settle::run_preview(context, args).await,
                Command::Verify => settle::run_verify(context).await,
                Command::Bench(args) => bench::run(context, bench_config, args).await,
                Command::BenchPages(args) => bench_pages::run(context, args).await,
            }
        })
    }
}

//! `greenpoints seed`: a realistic synthetic network in an empty database, for demos and benchmarks.
use std::time::Instant;

use chrono::Utc;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use crate::domain::day::BusinessDay;
use crate::domain::network::{DAY_MS, Network};
use crate::graph::seed;

#[derive(Args)]
pub struct SeedArgs {
    /// How many members, the root included.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub(super) members: u64,
    /// The random seed: the same seed (with the same members, days and today) gives the same network.
    #[arg(long, default_value_t = 1)]
    pub(super) seed: u64,
    /// Orders are paid over this many business days before today (nothing is settled).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub(super) days: u32,
    /// When the database already has members, say so and do nothing (instead of failing).
    #[arg(long)]
    pub(super) if_empty: bool,
}

pub async fn run(context: &Context, args: SeedArgs) -> anyhow::Result<()> {
    let graph = &context.graph;
    if !seed::is_empty(graph).await? {
        if args.if_empty {
            println!("the database already has members; nothing seeded");
            return Ok(());
        }
        anyhow::bail!("the database already has members; seed needs an empty database (or pass --if-empty to skip)");
    }
    let started = Instant::now();
    let today = BusinessDay::of(Utc::now(), context.tz);
    let today_start_ms = today.start_utc(context.tz).timestamp_millis();
    let first_paid_ms = today_start_ms - i64::from(args.days) * DAY_MS;
    if let Some(settled) = crate::graph::settlements::days::last_settled_day(graph).await? {
        anyhow::ensure!(
            settled.succ().start_utc(context.tz).timestamp_millis() <= first_paid_ms,
            "day {settled} is already settled; seeded orders would fall on or before it"
        );
    }

    let network = Network::generate(args.members as usize, args.seed, args.days, today_start_ms);
    let max_depth = network.max_depth();
    let generated = started.elapsed();
    tracing::info!(
        members = network.members.len(),
        orders = network.orders.len(),
        max_depth,
        seconds = generated.as_secs_f64(),
        "network generated"
    );

    let bar = progress_bar(network.members.len() as u64, "members");
    let phase = Instant::now();
    seed::write_member_nodes(graph, &network, |n| bar.inc(n)).await?;
    bar.finish();
    let members_time = phase.elapsed();

    let bar = progress_bar(network.members.len().saturating_sub(1) as u64, "sponsors");
    let phase = Instant::now();
    seed::write_sponsorships(graph, &network, |n| bar.inc(n)).await?;
    bar.finish();
    let sponsors_time = phase.elapsed();

    let bar = progress_bar(network.orders.len() as u64, "orders");
    let phase = Instant::now();
    seed::write_orders(graph, &network, context.tz, |n| bar.inc(n)).await?;
    bar.finish();
    let orders_time = phase.elapsed();

    println!(
        "seeded {} members and {} orders (max depth {}, paid {} to {}) in {:.1} s (generate {:.1} s, members {:.1} s, sponsors {:.1} s, orders {:.1} s)",
        network.members.len(),
        network.orders.len(),
        max_depth,
        BusinessDay::of(chrono::DateTime::from_timestamp_millis(first_paid_ms).unwrap_or_default(), context.tz),
        BusinessDay::of(chrono::DateTime::from_timestamp_millis(today_start_ms - 1).unwrap_or_default(), context.tz),
        started.elapsed().as_secs_f64(),
        generated.as_secs_f64(),
        members_time.as_secs_f64(),
        sponsors_time.as_secs_f64(),
        orders_time.as_secs_f64(),
    );
    Ok(())
}

fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    bar
}

//! `greenpoints bench`: one day's settlement end-to-end on the database, the engine alone, and
//! (with `--naive-db`) the same day done the naive way on a smaller network, in one run.
//!
//! Expects seeded databases with unsettled days (`seed`, nothing settled, or settled days
//! followed by `--runs` unsettled begun days). Figures are medians; times are wall clock.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Args;
use serde::Deserialize;

use super::Context;
use crate::app::settle::{self, Options};
use crate::domain::amounts::Accelerated;
use crate::domain::day::BusinessDay;
use crate::domain::phone::Phone;
use crate::graph::{Graph, GraphConfig, settlements};
use crate::settlement::engine;
use crate::settlement::rules::{Rules, floor_micros};

#[derive(Args)]
pub struct BenchArgs {
    /// How many days to settle end-to-end (one after the other) and how many times to run the engine.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=30))]
    runs: u32,
    /// A second, smaller seeded database to settle both the naive way and ours.
    #[arg(long)]
    naive_db: Option<String>,
    /// Also measure order intake: alone for this many seconds, then while the days settle.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=600))]
    intake_seconds: Option<u64>,
    /// How many clients send orders at once when intake is measured.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64))]
    intake_clients: u32,
}

/// Order intake as the API does it (`app::orders::intake`), by `workers` clients sending
/// orders one after another, each paid now by a member of `phones`, until `stop` is set, with the
/// server's team fold running beside them; the latency of each.
async fn intake_latencies(
    graph: &Graph,
    tz: chrono_tz::Tz,
    phones: std::sync::Arc<Vec<String>>,
    label: &'static str,
    workers: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> anyhow::Result<Vec<Duration>> {
    use std::sync::atomic::Ordering;
    let fold = tokio::spawn(crate::app::teams::fold_continuously(graph.clone()));
    let amount = crate::domain::money::Money::from_fen(300_000)?;
    let settings = crate::app::Settings { tz, ..Default::default() };
    let app = std::sync::Arc::new(crate::app::Application::build(graph.clone(), settings));
    let workers = (0..workers).map(|worker| {
        let (app, phones, stop) = (app.clone(), phones.clone(), stop.clone());
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let phone = &phones[(worker * 7919 + n * 104_729) % phones.len()];
                let order_id = format!("bench-{label}-{}-{worker}-{n}", Utc::now().timestamp_millis());
                let order = crate::app::orders::OrderRequest {
                    order_id: crate::domain::order_id::OrderId::parse(&order_id)?,
                    phone: Phone::parse(phone)?,
                    amount,
                    points_paid: crate::domain::money::Money::ZERO,
                    paid_at: Utc::now(),
                };
                let started = Instant::now();
                crate::app::orders::intake(&app, &crate::domain::audit::Actor::CommandLine, order).await?;
                latencies.push(started.elapsed());
                n += 1;
            }
            anyhow::Ok(latencies)
        })
    });
    let mut all = Vec::new();
    for worker in workers.collect::<Vec<_>>() {
        all.extend(worker.await??);
    }
    // Between two of its exchanges: each runs on a task of its own.
    fold.abort();
    Ok(all)
}

/// How long the team fold takes to count what intake left waiting, and how many members (a
/// failure is reported, and the bench goes on).
async fn catch_up_fold(graph: &Graph) {
    let started = Instant::now();
    match (crate::graph::teams::state(graph).await, crate::app::teams::fold_now(graph).await) {
        (Ok(state), Ok(counted)) => println!(
            "team fold: {} members waiting when intake stopped, {counted} counted in {:.2} s",
            state.waiting,
            started.elapsed().as_secs_f64()
        ),
        (state, counted) => println!("team fold: catching up failed ({:?}, {:?})", state.err(), counted.err()),
    }
}

fn percentile(values: &[Duration], fraction: f64) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted[((sorted.len() as f64 * fraction) as usize).min(sorted.len() - 1)]
}

fn describe_latencies(what: &str, latencies: &[Duration], seconds: f64) {
    println!(
        "order intake {what}: {} orders in {seconds:.1} s ({:.0}/s), median {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        latencies.len(),
        latencies.len() as f64 / seconds,
        ms(percentile(latencies, 0.5)),
        ms(percentile(latencies, 0.99)),
        ms(percentile(latencies, 1.0)),
    );
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// The peak resident memory of this process so far (Linux), in MiB.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The next `count` days to settle: after the latest settled day, or ending today when nothing
/// was ever settled.
async fn next_days(graph: &Graph, context: &Context, count: u32) -> anyhow::Result<Vec<BusinessDay>> {
    let today = BusinessDay::of(Utc::now(), context.tz);
    let first = match settlements::days::last_settled_day(graph).await? {
        Some(last) => last.succ(),
        None => BusinessDay::from_date(today.date() - chrono::Days::new(u64::from(count - 1))),
    };
    let days: Vec<BusinessDay> = (0..count).map(|k| BusinessDay::from_date(first.date() + chrono::Days::new(u64::from(k)))).collect();
    anyhow::ensure!(
        days.last().is_some_and(|d| *d <= today),
        "fewer than {count} unsettled days have begun; bench a freshly seeded database"
    );
    Ok(days)
}

pub async fn run(context: Context, config: GraphConfig, args: BenchArgs) -> anyhow::Result<()> {
    let graph = &context.graph;
    let days = next_days(graph, &context, args.runs).await?;

    let read_started = Instant::now();
    let computed = settle::compute(graph, days[0], None).await?;
    let read = read_started.elapsed();
    let rules = Rules::of(&crate::graph::params::history(graph).await?.in_force(days[0]).params);
    let engine_times: Vec<Duration> = (0..args.runs)
        .map(|_| {
            let started = Instant::now();
            let result = engine::settle(&computed.snapshot.snapshot, &rules).expect("the snapshot settled once already");
            std::hint::black_box(result);
            started.elapsed()
        })
        .collect();
    println!(
        "network: {} members, {} orders releasing on {}, {} statements",
        computed.snapshot.phones.len(),
        computed.snapshot.snapshot.orders.len(),
        days[0],
        computed.with_movement().count()
    );
    println!("snapshot read (bulk): {:.2} s", read.as_secs_f64());
    println!(
        "engine alone: median {:.0} ms of {} runs {:?}",
        ms(median(engine_times.clone())),
        args.runs,
        engine_times.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );

    // The I/O floor: the same rows read (the snapshot above) and the same rows written, as plain
    // nodes in transactions of the same size, with nothing matched, merged or computed.
    let floor_batches = settle::batches(&computed, Options::default().batch_members)?;
    let floor_started = Instant::now();
    for batch in &floor_batches {
        crate::graph::bench::write_floor(graph, days[0], batch).await?;
    }
    let floor_write = floor_started.elapsed();
    drop(floor_batches);
    crate::graph::bench::clear_floor(graph).await?;
    let floor = read + floor_write;
    println!(
        "I/O floor: snapshot read {:.2} s + the same rows written plain {:.2} s = {:.2} s",
        read.as_secs_f64(),
        floor_write.as_secs_f64(),
        floor.as_secs_f64()
    );

    let phones = std::sync::Arc::new(computed.snapshot.phones.clone());
    drop(computed);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients = args.intake_clients as usize;
    let alone = match args.intake_seconds {
        Some(seconds) => {
            let timer = {
                let stop = stop.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(seconds)).await;
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                })
            };
            let latencies = intake_latencies(graph, context.tz, phones.clone(), "alone", clients, stop.clone()).await?;
            timer.await?;
            catch_up_fold(graph).await;
            stop.store(false, std::sync::atomic::Ordering::SeqCst);
            Some((latencies, seconds as f64))
        }
        None => None,
    };
    let during = alone.is_some().then(|| {
        let (graph, tz, phones, stop) = (graph.clone(), context.tz, phones.clone(), stop.clone());
        tokio::spawn(async move { intake_latencies(&graph, tz, phones, "during", clients, stop).await })
    });
    let settling_started = Instant::now();
    let mut end_to_end = Vec::new();
    let mut computing = Vec::new();
    for &day in &days {
        let started = Instant::now();
        let mut computed_at = None;
        settle::settle_through(graph, context.tz, day, Utc::now(), Options::default(), |progress| {
            if let settle::Progress::Computed { .. } = progress {
                computed_at = Some(started.elapsed());
            }
        })
        .await?;
        end_to_end.push(started.elapsed());
        computing.push(computed_at.unwrap_or_default());
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let settling = settling_started.elapsed().as_secs_f64();
    if let (Some((alone, seconds)), Some(during)) = (alone, during) {
        let during = during.await??;
        catch_up_fold(graph).await;
        describe_latencies("alone", &alone, seconds);
        describe_latencies("while the days settle", &during, settling);
        println!("p99 while settling / p99 alone: {:.2}", percentile(&during, 0.99).as_secs_f64() / percentile(&alone, 0.99).as_secs_f64());
    }
    println!(
        "end-to-end day (read, compute, write): median {:.2} s of {} days {:?}",
        median(end_to_end.clone()).as_secs_f64(),
        days.len(),
        end_to_end.iter().map(|d| (d.as_secs_f64() * 100.0).round() / 100.0).collect::<Vec<_>>()
    );
    let (whole, computed) = (median(end_to_end.clone()), median(computing));
    println!(
        "of which fence, read, compute and stored plan: {:.2} s; batches and finish: {:.2} s; end-to-end / I/O floor: {:.2}",
        computed.as_secs_f64(),
        whole.saturating_sub(computed).as_secs_f64(),
        whole.as_secs_f64() / floor.as_secs_f64()
    );
    if let Some(mib) = peak_memory_mib() {
        println!("peak memory of this process: {mib:.0} MiB");
    }
    payout_pages(graph, days[days.len() - 1]).await?;

    if let Some(naive_db) = args.naive_db {
        let naive_graph = Graph::connect(&GraphConfig { database: naive_db.clone(), ..config }).await?;
        crate::graph::schema::apply(&naive_graph, Utc::now().timestamp_millis()).await?;
        let day = next_days(&naive_graph, &context, 1).await?[0];
        let started = Instant::now();
        let naive = naive_day(&naive_graph, day).await?;
        let naive_time = started.elapsed();
        let computed = settle::compute(&naive_graph, day, None).await?;
        let agree = computed
            .snapshot
            .phones
            .iter()
            .zip(&computed.result.members)
            .all(|(phone, m)| naive.get(phone).copied().unwrap_or_default() == m.entitled);
        let started = Instant::now();
        settle::settle_through(&naive_graph, context.tz, day, Utc::now(), Options::default(), |_| {}).await?;
        let ours = started.elapsed();
        println!(
            "naive way on {naive_db} ({} members, {}): {:.2} s; ours end-to-end on the same day: {:.2} s; {:.0}× faster; entitlements {}",
            computed.snapshot.phones.len(),
            day,
            naive_time.as_secs_f64(),
            ours.as_secs_f64(),
            naive_time.as_secs_f64() / ours.as_secs_f64(),
            if agree { "equal" } else { "DIFFER" }
        );
    }
    Ok(())
}

/// Pages of a settled day's payouts as the API reads them (100 a page), walked from the first
/// phone and from the middle of the day: median and slowest.
async fn payout_pages(graph: &Graph, day: BusinessDay) -> anyhow::Result<()> {
    const PAGES: usize = 20;
    const LIMIT: i64 = 101;
    let phones: Vec<String> = crate::graph::settlements::statements::day_amounts(graph, day).await?.into_iter().map(|p| p.phone).collect();
    let Some(middle) = phones.get(phones.len() / 2).cloned() else { return Ok(()) };
    let mut times = Vec::new();
    for start in [None, Some(middle)] {
        let mut after = start;
        for _ in 0..PAGES {
            let started = Instant::now();
            let page = settlements::statements::payouts(graph, day, after.as_deref(), LIMIT).await?;
            times.push(started.elapsed());
            match page.get(LIMIT as usize - 2) {
                Some(last) => after = Some(last.phone.clone()),
                None => break,
            }
        }
    }
    println!(
        "payout pages of {day} ({} statements, 100 a page, {} pages): median {:.1} ms, slowest {:.1} ms",
        phones.len(),
        times.len(),
        ms(median(times.clone())),
        ms(percentile(&times, 1.0))
    );
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[derive(Deserialize)]
struct Upline {
    phone: String,
    generation: i64,
}

/// The day's entitlements the naive way: for every member a variable-length query for its team
/// volume on the day (its tier), for every releasing member one for its uplines, then the walk
/// of SPEC §3 step 2. Nothing is written.
async fn naive_day(graph: &Graph, day: BusinessDay) -> anyhow::Result<HashMap<String, Accelerated<i64>>> {
    let calendar = settlements::days::calendar(graph).await?;
    let snapshot = settlements::snapshot::read(graph, day, &calendar).await?;
    let rules = Rules::of(&crate::graph::params::history(graph).await?.in_force(day).params);
    let mut releases = vec![0i64; snapshot.phones.len()];
    for order in &snapshot.snapshot.orders {
        releases[order.member as usize] += order.remaining_fen.min(rules.daily_release_fen(order.amount_fen));
    }
    let mut rank: HashMap<&str, u8> = HashMap::new();
    for phone in &snapshot.phones {
        let (cash, points) = crate::graph::members::team_volume_on_day(graph, &Phone::parse(phone)?, day).await?;
        rank.insert(phone.as_str(), rules.rank(cash + points));
    }
    let [g1, g2] = rules.share_micros();
    let mut exact: HashMap<String, Accelerated<i128>> = HashMap::new();
    for (phone, &release) in snapshot.phones.iter().zip(&releases).filter(|(_, r)| **r > 0) {
        let uplines: Vec<Upline> = graph.rows(crate::cypher!("bench/naive_uplines").param("phone", phone.as_str())).await?;
        let (mut highest, mut peers_left) = (0u8, 0u8);
        for upline in uplines {
            let sums = exact.entry(upline.phone.clone()).or_default();
            match upline.generation {
                1 => sums.share_g1 += i128::from(g1) * i128::from(release),
                2 => sums.share_g2 += i128::from(g2) * i128::from(release),
                _ => {}
            }
            if rules.team_max_depth().is_some_and(|max| upline.generation > i64::from(max)) {
                continue;
            }
            let rank = rank[upline.phone.as_str()];
            if rank > highest {
                sums.team += i128::from(rules.rank_micros(rank) - rules.rank_micros(highest)) * i128::from(release);
                highest = rank;
                peers_left = rules.peer_generations();
            } else if rank == highest && highest > 0 && peers_left > 0 {
                sums.peer += i128::from(rules.peer_micros()) * i128::from(release);
                peers_left -= 1;
            }
        }
    }
    Ok(exact.into_iter().map(|(phone, sums)| (phone, sums.map(floor_micros))).collect())
}

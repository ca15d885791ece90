//! `greenpoints bench-pages`: how fast the admin pages answer on the database at hand (seed it
//! first, and settle a day or two). It serves the app in this process on a loopback port, opens
//! an admin session, asks for every page `--requests` times in turn (each page once per round,
//! so caches are as warm as in use), and prints each page's median, p99 and slowest answer.
use std::time::{Duration, Instant};

use clap::Args;

use super::Context;
use crate::graph::{members, settlements};
use crate::http::session::{self, Kind};
use crate::http::{self, AppState};

#[derive(Args)]
pub struct BenchPagesArgs {
    /// Rounds: every page is asked for this many times.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(10..=10_000))]
    requests: u32,
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

pub async fn run(context: Context, args: BenchPagesArgs) -> anyhow::Result<()> {
    let graph = context.graph.clone();
    let root = members::root(&graph).await?.ok_or_else(|| anyhow::anyhow!("the database has no members; seed it first"))?;
    let day = settlements::last_settled_day(&graph).await?.ok_or_else(|| anyhow::anyhow!("settle a day first"))?;
    let digits = &root[..4];
    let last_digits = &root[7..];
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    tokio::spawn(http::serve(listener, AppState::new(graph.clone(), context.tz))?);
    let cookie = session::open(&graph, Kind::Admin, "bench", chrono::Utc::now()).await?;
    let client = reqwest::Client::new();
    let pages = [
        "/admin".to_string(),
        format!("/admin/members?q={digits}"),
        format!("/admin/members?q={last_digits}"),
        format!("/admin/members/{root}"),
        format!("/admin/members/{root}/statements/{day}"),
        format!("/admin/tree?phone={root}&open={root}"),
        "/admin/settlements".to_string(),
        "/admin/settlements/preview".to_string(),
        format!("/admin/settlements/{day}"),
        format!("/admin/settlements/{day}?sort=total"),
        "/admin/params".to_string(),
        "/admin/withdrawals".to_string(),
        "/admin/api-keys".to_string(),
        "/admin/audit".to_string(),
        "/admin/outbox".to_string(),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); pages.len()];
    for _ in 0..args.requests {
        for (page, times) in pages.iter().zip(times.iter_mut()) {
            let started = Instant::now();
            let answer = client.get(format!("{address}{page}")).header("Cookie", format!("gp_admin={}", cookie.value())).send().await?;
            let status = answer.status();
            answer.bytes().await?;
            times.push(started.elapsed());
            // A preview of a day that cannot be previewed is a page too (it says why).
            anyhow::ensure!(status.is_success() || status.as_u16() == 422, "{page} answered {status}");
        }
    }
    println!("{:<52} {:>9} {:>9} {:>9}", "page", "median", "p99", "slowest");
    for (page, mut times) in pages.iter().zip(times) {
        times.sort();
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        println!("{page:<52} {:>9} {:>9} {:>9}", ms(percentile(&times, 0.5)), ms(percentile(&times, 0.99)), ms(times[times.len() - 1]));
    }
    Ok(())
}

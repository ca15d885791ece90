//! `greenpoints bench-pages`: how fast the admin and member pages answer on the database at hand (seed it
//! first, and settle a day or two). It serves the app in this process on a loopback port, opens
//! a session of an owner admin `bench` (made with a random password, disabled again at the end;
//! both in the audit log) and a session of the root member, asks for every page once more than `--requests` times in turn (each page once
//! per round), and prints each page's first answer, then the median, p99 and slowest of the rest.
//! The first round is apart because it finds the server just started: it shows what a page costs
//! before the server's caches hold anything (the server computes them ahead, see
//! `pages::admin::keep_warm`, but a bench asks at once); the rest is the server in use.
use std::time::{Duration, Instant};

use clap::Args;

use super::Context;
use crate::app::admins;
use crate::domain::audit::Actor;
use crate::domain::password::Password;
use crate::domain::role::Role;
use crate::graph::{members, settlements};
use crate::http;
use crate::http::session::{self, Kind};

#[derive(Args)]
pub struct BenchPagesArgs {
    /// Rounds: every page is asked for this many times.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(10..=10_000))]
    requests: u32,
}

/// The admin the bench's console session is of.
const BENCH_ADMIN: &str = "bench";

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

pub async fn run(context: Context, args: BenchPagesArgs) -> anyhow::Result<()> {
    let graph = context.graph.clone();
    let root = members::root(&graph).await?.ok_or_else(|| anyhow::anyhow!("the database has no members; seed it first"))?;
    let day = settlements::days::last_settled_day(&graph).await?.ok_or_else(|| anyhow::anyhow!("settle a day first"))?;
    let digits = &root[..4];
    let last_digits = &root[7..];
    let middle_digits = &root[3..8];
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    let state = context.application();
    // Pages read the admin at every request: the session must be a real owner's (every page is asked for).
    let password = Password::parse(&session::random_token())?;
    admins::add(&state, &Actor::CommandLine, BENCH_ADMIN, password, Some(Role::Owner)).await?;
    http::pages::admin::keep_warm(&state);
    tokio::spawn(http::serve(listener, state)?);
    let now = chrono::Utc::now();
    let admin = format!("gp_admin={}", session::open(&graph, Kind::Admin, BENCH_ADMIN, now).await?.value());
    // The root has the largest team and the most sources: its member pages are the heaviest.
    let member = format!("gp_member={}", session::open(&graph, Kind::Member, &root, now).await?.value());
    // A redirect (to a login page) is no page of the bench: it fails below rather than being followed.
    let client = crate::http_client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let admin_pages = [
        "/admin".to_string(),
        "/admin/members".to_string(),
        "/admin/members?sort=joined".to_string(),
        "/admin/members?tier=none&level=VIP".to_string(),
        format!("/admin/members?q={digits}"),
        format!("/admin/members?q={last_digits}"),
        format!("/admin/members?q={middle_digits}"),
        "/admin/members?q=%E7%8E%8B".to_string(),
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
    let member_pages = [
        "/".to_string(),
        "/team".to_string(),
        "/statements".to_string(),
        format!("/statements/{day}"),
        "/points".to_string(),
        "/orders".to_string(),
        "/withdrawals".to_string(),
        "/api/v1/me".to_string(),
        "/api/v1/me/team".to_string(),
    ];
    let pages: Vec<(String, &str)> = admin_pages
        .into_iter()
        .map(|page| (page, admin.as_str()))
        .chain(member_pages.into_iter().map(|page| (page, member.as_str())))
        .collect();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); pages.len()];
    for _ in 0..=args.requests {
        for ((page, cookie), times) in pages.iter().zip(times.iter_mut()) {
            let started = Instant::now();
            let answer = client.get(format!("{address}{page}")).header("Cookie", *cookie).send().await?;
            let status = answer.status();
            answer.bytes().await?;
            times.push(started.elapsed());
            // A preview of a day that cannot be previewed is a page too (it says why).
            anyhow::ensure!(status.is_success() || status.as_u16() == 422, "{page} answered {status}");
        }
    }
    println!("{:<52} {:>10} {:>9} {:>9} {:>9}", "page", "first", "median", "p99", "slowest");
    for ((page, _), times) in pages.iter().zip(times) {
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let (first, mut rest) = (times[0], times[1..].to_vec());
        rest.sort();
        let (median, p99, slowest) = (percentile(&rest, 0.5), percentile(&rest, 0.99), rest[rest.len() - 1]);
        println!("{page:<52} {:>10} {:>9} {:>9} {:>9}", ms(first), ms(median), ms(p99), ms(slowest));
    }
    admins::disable(&context.application(), &Actor::CommandLine, BENCH_ADMIN).await?;
    Ok(())
}

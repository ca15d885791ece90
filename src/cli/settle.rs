//! `greenpoints settle`, `preview` and `verify`.
use std::time::Instant;

use chrono::Utc;
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use crate::app::settle::{self, Options, Progress};
use crate::app::verify;
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;

/// A business day on the command line: `YYYY-MM-DD`, `today`, or `today-N` (N days before today),
/// read by [`BusinessDay::parse_relative`] against today when the command runs.
#[derive(Clone, Debug)]
pub struct DayArg(String);

impl std::str::FromStr for DayArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match BusinessDay::parse_relative(text, BusinessDay::of(Utc::now(), chrono_tz::UTC)) {
            Ok(_) => Ok(DayArg(text.to_string())),
            Err(_) => Err("a day is YYYY-MM-DD, today, or today-N".into()),
        }
    }
}

impl DayArg {
    /// This very day.
    pub fn day(day: BusinessDay) -> DayArg {
        DayArg(day.to_string())
    }

    pub fn resolve(&self, context: &Context) -> BusinessDay {
        BusinessDay::parse_relative(&self.0, BusinessDay::of(Utc::now(), context.tz)).expect("checked by FromStr")
    }
}

#[derive(Args)]
pub struct SettleArgs {
    /// Settle every unsettled day through this one (the first settlement ever settles only it).
    #[arg(long)]
    pub(super) date: DayArg,
    /// Members credited per transaction.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub(super) batch_members: u64,
}

pub async fn run_settle(context: &Context, args: SettleArgs) -> anyhow::Result<()> {
    let target = args.date.resolve(context);
    let started = Instant::now();
    let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let days = bars.add(ProgressBar::new(0));
    days.set_style(ProgressStyle::with_template("{prefix:>8} {pos}/{len} {msg}").expect("a valid template"));
    days.set_prefix("days");
    let batches = bars.add(ProgressBar::new(0));
    batches.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:40}] {pos}/{len} batches, eta {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    batches.set_prefix("writing");
    let options = Options { batch_members: args.batch_members as usize, ..context.settle };
    let settled = loop {
        let outcome = settle::settle_through(&context.graph, context.tz, target, Utc::now(), options, |progress| match progress {
            Progress::Day { day, number, of } => {
                days.set_length(of as u64);
                days.set_position(number as u64 - 1);
                days.set_message(format!("{day}: reading and computing"));
            }
            Progress::Computed { day, batches: total } => {
                days.set_message(format!("{day}: writing"));
                batches.set_length(total as u64);
                batches.set_position(0);
            }
            Progress::Batch { done, .. } => batches.set_position(done as u64),
        })
        .await;
        match outcome {
            // Another run holds a day: wait for it to finish, or for its lease to expire and take it over.
            Err(settle::SettleError::Running { day, owner, lease_until_ms }) => {
                days.set_message(format!("{day} is being settled by {owner}; waiting"));
                tokio::time::sleep(settle::until_lease_expires(lease_until_ms)).await;
            }
            outcome => break outcome?,
        }
    };
    days.finish_and_clear();
    batches.finish_and_clear();
    settle::record_run(&context.graph, &crate::domain::audit::Actor::CommandLine.to_string(), target, &settled).await?;
    match (settled.first(), settled.last()) {
        (Some(first), Some(last)) => {
            println!("settled {} day(s), {first} to {last}, in {:.1} s", settled.len(), started.elapsed().as_secs_f64())
        }
        _ => println!("nothing to settle: every day through {target} is settled"),
    }
    Ok(())
}

#[derive(Args)]
pub struct PreviewArgs {
    /// The next unsettled day (or, before the first settlement, any day that has begun).
    #[arg(long)]
    date: DayArg,
}

pub async fn run_preview(context: Context, args: PreviewArgs) -> anyhow::Result<()> {
    let day = args.date.resolve(&context);
    let computed = settle::preview(&context.graph, context.tz, day, Utc::now()).await?;
    let yuan = |fen: i64| Money::from_fen(fen).map(|m| m.to_string()).unwrap_or_else(|_| format!("{fen} fen"));
    let totals: ByKind<i64> = computed.with_movement().map(|i| computed.result.members[i].amounts()).sum();
    let statements = computed.with_movement().count();
    println!("preview of {day} with parameter version {} (nothing written)", computed.params_version);
    if settle::previews_as_of_now(day, Utc::now(), context.tz) {
        println!("{day} has not begun: computed from the orders and refunds so far, which the rest of today changes");
    }
    for (name, total) in ByKind::NAMES.zip(totals).into_array().into_iter().chain([("total", totals.credited())]) {
        println!("{name:>10} {:>18}", yuan(total));
    }
    println!("{:>10} {statements:>18}", "statements");
    Ok(())
}

pub async fn run_verify(context: Context) -> anyhow::Result<()> {
    let violations = verify::verify(&context.graph).await?;
    match violations.first() {
        None => {
            println!("verified: every conservation rule holds");
            Ok(())
        }
        Some(first) => {
            for violation in violations.iter().take(20) {
                eprintln!("{violation}");
            }
            anyhow::bail!("{} violation(s); the first: {first}", violations.len())
        }
    }
}

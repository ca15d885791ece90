//! `greenpoints demo`: the demo `make run` serves. Seeds a network into an empty database, settles
//! every day from the first with orders through yesterday (today is left for the operator to
//! preview and settle in the console), and prints an admin login and the login of a member with a
//! team and income. Running it again keeps the network and the passwords, and settles the days
//! that have ended since.
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;

use super::Context;
use super::seed::{self, SeedArgs};
use super::settle::{self, DayArg, SettleArgs};
use crate::app::{admins, demo};
use crate::domain::audit::Actor;
use crate::domain::password::Password;

/// The demo's admin.
const ADMIN: &str = "admin";

#[derive(Args)]
pub struct DemoArgs {
    /// How many members the network has (seeded only into an empty database).
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    members: u64,
    /// The random seed of the network.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Orders are paid over this many days before today.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(2..=3650))]
    days: u32,
    /// The folder that keeps the two passwords (`admin-password`, `member-password`), made at
    /// random the first time.
    #[arg(long)]
    passwords: PathBuf,
    /// Where the server is reached, for the printed logins.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
}

pub async fn run(context: &Context, args: DemoArgs) -> anyhow::Result<()> {
    seed::run(context, SeedArgs { members: args.members, seed: args.seed, days: args.days, if_empty: true }).await?;
    let app = context.application();
    let today = app.today();
    match demo::days_to_settle(&app).await? {
        Some((first, last)) => {
            // The first run ever settles only the day it is asked for; the second catches up.
            for through in [first, last] {
                settle::run_settle(context, SettleArgs { date: DayArg::day(through), batch_members: 5_000 }).await?;
            }
        }
        None => println!("nothing to settle before today"),
    }

    let admin_password = kept_password(&args.passwords.join("admin-password"))?;
    admins::add(&app, &Actor::CommandLine, ADMIN, Password::choose(&admin_password, ADMIN)?, None).await?;
    let url = args.url.trim_end_matches('/');
    println!();
    println!("today, {today}, is left to settle: preview it and settle it in the console (结算 → 预览, 结算)");
    println!("admin login:  {url}/admin/login  user: {ADMIN}  password: {admin_password}");
    match demo::showcase(&app).await? {
        Some(member) => {
            let text = kept_password(&args.passwords.join("member-password"))?;
            demo::give_password(&app, &Actor::CommandLine, &member.phone, Password::choose(&text, member.phone.as_str())?).await?;
            println!(
                "member login: {url}/login  phone: {}  password: {text}  (a team of {}, credited {} on {})",
                member.phone, member.team_size, member.credited, member.day
            );
        }
        None => println!("no member login: no day is settled yet"),
    }
    Ok(())
}

/// The password kept in `file`, made at random (and readable by this user only) when missing.
fn kept_password(file: &Path) -> anyhow::Result<String> {
    if let Ok(text) = std::fs::read_to_string(file) {
        let text = text.trim();
        if !text.is_empty() {
            return Ok(text.to_string());
        }
    }
    let password = hex::encode(rand::random::<[u8; 8]>());
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    let mut out = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(file)
    }
    .with_context(|| format!("writing {}", file.display()))?;
    writeln!(out, "{password}")?;
    Ok(password)
}

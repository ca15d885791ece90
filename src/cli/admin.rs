use std::io::Read;

use anyhow::Context as _;
use chrono::Utc;
use clap::Subcommand;

use super::Context;
use crate::domain::password::Password;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an admin (or set a new password for an existing one); the password is read from standard input.
    Add { username: String },
}

pub async fn run(context: Context, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Add { username } => {
            let username = username.trim();
            anyhow::ensure!(
                !username.is_empty() && username.len() <= 64 && username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                "a username has 1 to 64 letters, digits, dots, dashes or underscores"
            );
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).context("reading the password from standard input")?;
            let password = Password::parse(input.trim_end_matches(['\r', '\n']))?;
            let created =
                crate::graph::admins::upsert(&context.graph, username, &password.hash(), Utc::now().timestamp_millis()).await?;
            eprintln!("{} admin {username}", if created { "created" } else { "updated the password of" });
            Ok(())
        }
    }
}

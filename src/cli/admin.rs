use std::io::Read;

use anyhow::Context as _;
use clap::Subcommand;

use super::Context;
use crate::app::admins::{self, Added};
use crate::domain::audit::Actor;
use crate::domain::password::Password;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an admin (or set a new password for an existing one); the password is read from standard input.
    Add { username: String },
}

pub async fn run(context: Context, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Add { username } => {
            let username = admins::parse_username(&username)?;
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).context("reading the password from standard input")?;
            let password = Password::choose(input.trim_end_matches(['\r', '\n']), username.as_str())?;
            let added = admins::add(&context.application(), &Actor::CommandLine, &username, password).await?;
            let done = match added {
                Added::Created => "created",
                Added::PasswordSet => "updated the password of",
            };
            eprintln!("{done} admin {username}");
            Ok(())
        }
    }
}

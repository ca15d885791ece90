use std::io::Read;

use anyhow::Context as _;
use clap::Subcommand;

use super::Context;
use crate::app::admins::{self, Added};
use crate::domain::audit::Actor;
use crate::domain::password::Password;
use crate::domain::role::Role;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an admin (or set a new password for an existing one, ending all of its sessions and
    /// enabling it again if it was disabled); the password is read from standard input.
    Add {
        username: String,
        /// owner (everything), finance (settlements, withdrawals, payout exports), operator
        /// (members, adjustments, sponsor changes, the SMS outbox) or auditor (reads only). A new
        /// admin is an owner without it; an existing one keeps its role.
        #[arg(long)]
        role: Option<Role>,
    },
    /// Disable an admin: it can no longer log in and every session of its ends now (`admin add`
    /// with a new password enables it again).
    Disable { username: String },
}

pub async fn run(context: Context, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Add { username, role } => {
            let username = admins::parse_username(&username)?;
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).context("reading the password from standard input")?;
            let password = Password::choose(input.trim_end_matches(['\r', '\n']), username.as_str())?;
            let outcome = admins::add(&context.application(), &Actor::CommandLine, &username, password, role).await?;
            let done = match outcome.added {
                Added::Created => "created",
                Added::PasswordSet => "updated the password of",
            };
            eprintln!("{done} admin {username} (role {}); {} sessions ended", outcome.role, outcome.sessions_ended);
            if outcome.role_changed {
                eprintln!("its role is now {}", outcome.role);
            }
            if outcome.re_enabled {
                eprintln!("it was disabled and may log in again");
            }
            Ok(())
        }
        AdminCommand::Disable { username } => {
            let outcome = admins::disable(&context.application(), &Actor::CommandLine, &username).await?;
            let already = if outcome.already { " (it was disabled already)" } else { "" };
            eprintln!("disabled admin {username}{already}; {} sessions ended", outcome.sessions_ended);
            Ok(())
        }
    }
}

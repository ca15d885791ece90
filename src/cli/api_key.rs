use clap::Subcommand;

use super::Context;
use crate::app;
use crate::domain::audit::Actor;
use crate::domain::name::Name;
use crate::domain::scope::Scope;

#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key; prints only the key, once, on standard output.
    Create {
        /// 1 to 50 characters.
        #[arg(long)]
        name: String,
        /// One or more of: orders:write members:read members:write settlements:write payouts:read payouts:write admin.
        #[arg(long = "scope", required = true, num_args = 1..)]
        scopes: Vec<Scope>,
    },
}

pub async fn run(context: Context, command: ApiKeyCommand) -> anyhow::Result<()> {
    match command {
        ApiKeyCommand::Create { name, scopes } => {
            let name = Name::parse(&name)?;
            let created = app::api_keys::create(&context.application(), &Actor::CommandLine, &name, &scopes).await?;
            println!("{}", created.secret);
            Ok(())
        }
    }
}

use chrono::Utc;
use clap::Subcommand;

use super::Context;
use crate::domain::scope::Scope;
use crate::http::auth::{generate_key, hash_key};

#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key; prints only the key, once, on standard output.
    Create {
        #[arg(long)]
        name: String,
        /// One or more of: orders:write members:write settlements:write payouts:read payouts:write admin.
        #[arg(long = "scope", required = true, num_args = 1..)]
        scopes: Vec<Scope>,
    },
}

pub async fn run(context: Context, command: ApiKeyCommand) -> anyhow::Result<()> {
    match command {
        ApiKeyCommand::Create { name, scopes } => {
            let key = generate_key();
            let scopes: Vec<String> = scopes.iter().map(|s| s.as_str().to_string()).collect();
            let id = uuid::Uuid::new_v4().to_string();
            crate::graph::api_keys::create(&context.graph, &id, &name, &hash_key(&key), &scopes, Utc::now().timestamp_millis())
                .await?;
            println!("{key}");
            Ok(())
        }
    }
}

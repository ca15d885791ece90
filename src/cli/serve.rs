use std::net::TcpListener;

use clap::Args;

use super::Context;
use crate::http::{self, AppState};

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GREENPOINTS_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
}

pub async fn run(context: Context, args: ServeArgs) -> anyhow::Result<()> {
    let listener = TcpListener::bind(&args.bind)?;
    tracing::info!(address = %args.bind, "serving");
    http::serve(listener, AppState { graph: context.graph, tz: context.tz })?.await?;
    Ok(())
}

use clap::Args; use super::Context;
#[derive(Args)] pub struct SeedArgs {}
pub async fn run(_context: Context, _args: SeedArgs) -> anyhow::Result<()> { anyhow::bail!("todo") }

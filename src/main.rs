use clap::Parser;

fn main() -> anyhow::Result<()> {
    greenpoints::cli::Cli::parse().run()
}

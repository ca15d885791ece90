use std::net::TcpListener;
use std::sync::Arc;

use clap::{ArgAction, Args};

use super::Context;
use crate::app::settle;
use crate::app::sms::{SmsSender, Webhook};
use crate::app::{Application, Settings, SystemClock};
use crate::http;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GREENPOINTS_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Settle each day by itself shortly after midnight, and catch up missed days at start
    /// (once a first day has been settled by hand).
    #[arg(long, env = "GREENPOINTS_AUTO_SETTLE", default_value_t = true, action = ArgAction::Set)]
    auto_settle: bool,
    /// Minutes after midnight before the day is settled, so that late orders of the day before arrive.
    #[arg(long, env = "GREENPOINTS_SETTLE_GRACE_MINUTES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=720))]
    settle_grace_minutes: u32,
    /// Where SMS codes go: the URL of an HTTP webhook (a gateway to the SMS provider), which gets
    /// `POST {"phone", "text", "purpose"}` signed in the `X-Greenpoints-Signature` header. Unset:
    /// the development sender, which keeps the messages on the admins' outbox page.
    #[arg(long, env = "GREENPOINTS_SMS_WEBHOOK_URL")]
    sms_webhook_url: Option<String>,
    /// The secret of the webhook's HMAC-SHA256 signature (at least 16 characters).
    #[arg(long, env = "GREENPOINTS_SMS_WEBHOOK_SECRET", hide_env_values = true)]
    sms_webhook_secret: Option<String>,
    /// Where members reach the server (`https://points.example.com`): the base of the invitation
    /// links it hands out. Unset: the host each request names.
    #[arg(long, env = "GREENPOINTS_PUBLIC_URL")]
    public_url: Option<String>,
}

pub async fn run(context: Context, args: ServeArgs) -> anyhow::Result<()> {
    let grace = chrono::TimeDelta::minutes(i64::from(args.settle_grace_minutes));
    // A run that stopped halfway is finished in the background, behind its fence: requests are
    // served meanwhile, and what they change takes effect after the day.
    tokio::spawn(settle::finish_stopped(context.graph.clone(), context.tz, context.settle));
    if args.auto_settle {
        tokio::spawn(settle::settle_daily(context.graph.clone(), context.tz, grace, context.settle));
    }
    tokio::spawn(crate::http::session::sweep_expired(context.graph.clone()));
    let sms = match (args.sms_webhook_url.as_deref().filter(|u| !u.is_empty()), args.sms_webhook_secret.as_deref()) {
        (Some(url), Some(secret)) => SmsSender::Webhook(Webhook::new(url, secret)?),
        (Some(_), None) => anyhow::bail!("GREENPOINTS_SMS_WEBHOOK_URL needs GREENPOINTS_SMS_WEBHOOK_SECRET"),
        (None, _) => SmsSender::Development,
    };
    tracing::info!(sender = sms.name(), "SMS codes go through this sender");
    let listener = TcpListener::bind(&args.bind)?;
    tracing::info!(address = %args.bind, "serving");
    if let Some(url) = args.public_url.as_deref().filter(|u| !u.trim().is_empty()) {
        anyhow::ensure!(url.starts_with("http://") || url.starts_with("https://"), "GREENPOINTS_PUBLIC_URL must be http(s)://…");
    }
    let settings =
        Settings { tz: context.tz, sms, settle: context.settle, clock: Arc::new(SystemClock), public_url: args.public_url.clone() };
    let state = Application::build(context.graph, settings);
    http::pages::admin::keep_warm(&state);
    let server = http::serve(listener, state)?;
    // The server stops gracefully on SIGTERM or SIGINT (it finishes the requests in flight);
    // a settlement run stops after the batch it is writing and gives up its claim.
    tokio::spawn(async {
        stopping().await;
        tracing::info!("stopping: settlement runs stop after their current batch");
        settle::stop_after_current_batches();
    });
    server.await?;
    if !settle::wait_for_runs(std::time::Duration::from_secs(30)).await {
        tracing::warn!("a settlement batch was still being written at exit; the next run takes the day over");
    }
    Ok(())
}

/// Resolves when the process is asked to stop (SIGTERM or SIGINT).
async fn stopping() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

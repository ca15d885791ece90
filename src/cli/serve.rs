use std::net::TcpListener;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{ArgAction, Args};

use super::Context;
use crate::app::payout_accounts::PayoutKey;
use crate::app::settle;
use crate::app::sms::{SmsSender, Webhook};
use crate::app::{Application, Settings, SystemClock};
use crate::domain::client_address::TrustedProxies;
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
    /// `outbox` for the development sender, which sends nothing and keeps every message (with its
    /// code, in plain text) on the admins' outbox page. Never in production: without it, `serve`
    /// needs the webhook's URL and secret.
    #[arg(long, env = "GREENPOINTS_SMS", value_parser = ["outbox"])]
    sms: Option<String>,
    /// Where SMS codes go: the URL of an HTTP webhook (a gateway to the SMS provider), which gets
    /// `POST {"phone", "text", "purpose"}` signed in the `X-Greenpoints-Signature` header.
    #[arg(long, env = "GREENPOINTS_SMS_WEBHOOK_URL")]
    sms_webhook_url: Option<String>,
    /// The secret of the webhook's HMAC-SHA256 signature (at least 16 characters).
    #[arg(long, env = "GREENPOINTS_SMS_WEBHOOK_SECRET", hide_env_values = true)]
    sms_webhook_secret: Option<String>,
    /// The proxies (CIDRs or addresses, comma-separated) whose `X-Forwarded-For` names the client;
    /// without them the TCP peer is the client.
    #[arg(long, env = "GREENPOINTS_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// The site's address as its readers reach it (e.g. `https://jifen.example.com`): the
    /// invitation links use it, and behind https the cookies are `Secure` with the `__Host-` prefix.
    #[arg(long, env = "GREENPOINTS_PUBLIC_URL")]
    public_url: Option<String>,
    /// The key members' payout accounts are sealed with: 64 hexadecimal digits (`openssl rand
    /// -hex 32`). Keep it apart from the database's backups; without it no account opens.
    #[arg(long, env = "GREENPOINTS_PAYOUT_KEY", hide_env_values = true)]
    payout_key: Option<String>,
}

/// The SMS sender the settings ask for; the development outbox only when asked for by name.
fn sms_sender(args: &ServeArgs) -> anyhow::Result<SmsSender> {
    let url = args.sms_webhook_url.as_deref().filter(|u| !u.is_empty());
    let secret = args.sms_webhook_secret.as_deref().filter(|s| !s.is_empty());
    match (args.sms.as_deref(), url, secret) {
        (Some("outbox"), None, None) => Ok(SmsSender::Development),
        (Some(_), _, _) => anyhow::bail!("GREENPOINTS_SMS=outbox and an SMS webhook are set: choose one"),
        (None, Some(url), Some(secret)) => Ok(SmsSender::Webhook(Webhook::new(url, secret)?)),
        (None, Some(_), None) => anyhow::bail!("GREENPOINTS_SMS_WEBHOOK_URL needs GREENPOINTS_SMS_WEBHOOK_SECRET"),
        (None, None, Some(_)) => anyhow::bail!("GREENPOINTS_SMS_WEBHOOK_SECRET is set without GREENPOINTS_SMS_WEBHOOK_URL"),
        (None, None, None) => anyhow::bail!(
            "no SMS sender: set GREENPOINTS_SMS_WEBHOOK_URL and GREENPOINTS_SMS_WEBHOOK_SECRET, or GREENPOINTS_SMS=outbox for \
             development (every code is then kept in plain text on the admins' outbox page)"
        ),
    }
}

/// The public URL, if set: an http(s) origin without a path.
fn public_url(args: &ServeArgs) -> anyhow::Result<Option<String>> {
    let Some(url) = args.public_url.as_deref().map(|u| u.trim_end_matches('/')).filter(|u| !u.is_empty()) else { return Ok(None) };
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    anyhow::ensure!(
        rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', ' '])),
        "GREENPOINTS_PUBLIC_URL must be http(s)://host[:port] without a path, not {url:?}"
    );
    Ok(Some(url.to_string()))
}

pub async fn run(context: Context, args: ServeArgs) -> anyhow::Result<()> {
    // Every setting is checked before anything starts.
    let sms = sms_sender(&args)?;
    let trusted_proxies = TrustedProxies::parse(&args.trusted_proxies).context("GREENPOINTS_TRUSTED_PROXIES")?;
    let public_url = public_url(&args)?;
    let payout_key = args.payout_key.as_deref().filter(|k| !k.is_empty()).ok_or_else(|| {
        anyhow::anyhow!(
            "GREENPOINTS_PAYOUT_KEY is not set: members' payout accounts are sealed with it (make one with `openssl rand -hex 32`)"
        )
    });
    let payout_key = Arc::new(PayoutKey::parse(payout_key?).context("GREENPOINTS_PAYOUT_KEY")?);
    let grace = chrono::TimeDelta::minutes(i64::from(args.settle_grace_minutes));
    // A run that stopped halfway is finished in the background, behind its fence: requests are
    // served meanwhile, and what they change takes effect after the day.
    tokio::spawn(settle::finish_stopped(context.graph.clone(), context.tz, context.settle));
    if args.auto_settle {
        tokio::spawn(settle::settle_daily(context.graph.clone(), context.tz, grace, context.settle));
    }
    tokio::spawn(crate::http::session::sweep_expired(context.graph.clone()));
    tokio::spawn(crate::app::teams::fold_continuously(context.graph.clone()));
    tracing::info!(sender = sms.name(), "SMS codes go through this sender");
    let listener = TcpListener::bind(&args.bind)?;
    tracing::info!(address = %args.bind, "serving");
    let settings = Settings {
        tz: context.tz,
        sms,
        settle: context.settle,
        clock: Arc::new(SystemClock),
        trusted_proxies,
        public_url,
        payout_key: Some(payout_key),
    };
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

//! Signing in, for members and operators alike, and setting a member's password by SMS code.
//!
//! Nothing here answers differently for an account that does not exist: a login with an unknown
//! phone or username spends the time of a password check and answers `invalid_credentials`; a
//! reset answers `invalid_code`.
use std::time::Duration;

use super::sms::{CodeError, Purpose};
use super::{AppError, AppResult, Application, audit, blocking};
use crate::domain::audit::{Actor, AuditAction, Detail, Via};
use crate::domain::client_address::ClientAddress;
use crate::domain::error_code::ErrorCode;
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::domain::throttle::{Backoff, Rate};
use crate::graph::{admins, members, throttles};

/// Failed logins of one account from one client address: 5 free, then a wait of 30 s that
/// doubles with each further failure up to 15 minutes; a success or a day without failure forgets
/// them. Someone else's failures from elsewhere never hold the owner back.
pub const LOGIN_BACKOFF: Backoff = Backoff {
    free: 5,
    first: Duration::from_secs(30),
    longest: Duration::from_secs(15 * 60),
    forget_after: Duration::from_secs(24 * 60 * 60),
};
/// Failed logins from one client address, whatever the account (password spraying), counted
/// apart for the console and the portal: 20 at once, then one more every 3 minutes.
pub const LOGIN_FAILURES_PER_ADDRESS: Rate = Rate { burst: 20, every: Duration::from_secs(180) };
/// Member account requests that tell something about a phone, by client address: SMS codes
/// (`sms:ADDR`, on top of the per-phone limits) and registration (`register:ADDR`), 20 an hour each.
pub const ACCOUNT_RATE: Rate = Rate { burst: 20, every: Duration::from_secs(180) };

impl From<CodeError> for AppError {
    fn from(error: CodeError) -> Self {
        match error {
            CodeError::TooSoon | CodeError::WindowFull => AppError::refused(ErrorCode::TooManyRequests, &error),
            CodeError::Invalid => AppError::refused(ErrorCode::InvalidCode, &error),
            CodeError::Graph(error) => error.into(),
        }
    }
}

fn too_many(message: &str) -> AppError {
    AppError::refused(ErrorCode::TooManyRequests, message)
}

fn invalid_credentials(message: &str) -> AppError {
    AppError::refused(ErrorCode::InvalidCredentials, message)
}

/// Whether `password` is the one `stored` hashes, checked off the request threads. Without a
/// stored hash (no such account, or no password yet), or with a password no account can have,
/// the answer is no after the same work.
async fn password_matches(stored: Option<String>, password: &str) -> AppResult<bool> {
    let password = Password::parse(password).ok();
    blocking(move || match (stored, password) {
        (Some(hash), Some(password)) => password.matches(&hash),
        (None, Some(password)) => {
            password.waste_a_check();
            false
        }
        (_, None) => {
            Password::parse("not a possible password").expect("a valid password").waste_a_check();
            false
        }
    })
    .await
}

/// Who tries to log in where: the side of the site and the account.
enum Login<'a> {
    Member(&'a Phone),
    Admin(&'a str),
}

impl Login<'_> {
    /// The keys of the attempt's throttles: this account from this address, and this address on this side.
    fn throttle_keys(&self, client: ClientAddress) -> (String, String) {
        match self {
            Login::Member(phone) => (format!("login:member:{phone}@{client}"), format!("login:member@{client}")),
            Login::Admin(username) => (format!("login:admin:{username}@{client}"), format!("login:admin@{client}")),
        }
    }
}

/// What the credential check found.
enum Checked {
    Matches,
    Wrong,
    /// Too many failures of this account from this address, or from this address: not checked.
    Throttled,
}

/// The one credential check of every login: within the throttles, the password checked off the
/// request threads (the same work for an account that does not exist), only failures counted.
async fn check_credentials(
    app: &Application,
    login: Login<'_>,
    stored: Option<String>,
    password: &str,
    client: ClientAddress,
) -> AppResult<Checked> {
    let (pair, address) = login.throttle_keys(client);
    if !throttles::attempt(&app.graph, &pair, LOGIN_BACKOFF, &address, LOGIN_FAILURES_PER_ADDRESS, app.now_ms()).await? {
        return Ok(Checked::Throttled);
    }
    if !password_matches(stored, password).await? {
        return Ok(Checked::Wrong);
    }
    throttles::succeeded(&app.graph, &pair, &address, LOGIN_FAILURES_PER_ADDRESS).await?;
    Ok(Checked::Matches)
}

/// Checks a member's phone and password.
pub async fn member_login(app: &Application, phone: &Phone, password: &str, client: ClientAddress) -> AppResult<()> {
    let stored = members::password_hash(&app.graph, phone).await?.flatten();
    match check_credentials(app, Login::Member(phone), stored, password, client).await? {
        Checked::Matches => Ok(()),
        Checked::Wrong => {
            tracing::info!(phone = %phone.masked(), %client, "member login refused");
            Err(invalid_credentials("wrong phone number or password"))
        }
        Checked::Throttled => {
            tracing::warn!(phone = %phone.masked(), %client, "member login throttled");
            Err(too_many("too many failed logins; try again later"))
        }
    }
}

/// Checks a member's phone and a `login` code sent to it (验证码登录). A phone that is not a
/// member's never got its code sent, so any code for it, even the stored one guessed, answers
/// `invalid_code` as a wrong code does; the code's own limit of tries bounds the guesses.
pub async fn member_login_by_code(app: &Application, phone: &Phone, code: &str, client: ClientAddress) -> AppResult<()> {
    app.sms.redeem(&app.graph, phone, Purpose::Login, code.trim(), app.now()).await?;
    if members::password_hash(&app.graph, phone).await?.is_none() {
        tracing::info!(phone = %phone.masked(), %client, "login by code for a phone that is no member's refused");
        return Err(CodeError::Invalid.into());
    }
    tracing::info!(phone = %phone.masked(), %client, "member logged in by SMS code");
    Ok(())
}

/// Checks an operator's username and password, and records the login in the audit log.
pub async fn admin_login(app: &Application, username: &str, password: &str, client: ClientAddress) -> AppResult<()> {
    let username = username.trim();
    // Defence in depth: another admin's password must never be checked as this one's.
    let stored = admins::by_username(&app.graph, username).await?.filter(|admin| {
        let same = admin.username == username;
        if !same {
            tracing::error!("an admin lookup answered another admin's row; refused");
        }
        same
    });
    // A disabled admin (or one whose role this version does not know) is refused as a wrong
    // password is, after the same work.
    let stored = stored.filter(|admin| admin.active_role().is_some());
    match check_credentials(app, Login::Admin(username), stored.map(|admin| admin.password_hash), password, client).await? {
        Checked::Matches => {}
        Checked::Wrong => {
            tracing::info!(username, %client, "admin login refused");
            return Err(invalid_credentials("wrong username or password"));
        }
        Checked::Throttled => {
            tracing::warn!(username, %client, "admin login throttled");
            return Err(too_many("too many failed logins; try again later"));
        }
    }
    let (actor, now_ms) = (Actor::Admin(username.to_string()), app.now_ms());
    let detail = Detail { client: Some(client.to_string()), ..Detail::default() };
    crate::graph::audit::record(&app.graph, &actor.to_string(), AuditAction::AdminLogin.as_str(), username, &detail.to_stored(), now_ms)
        .await?;
    Ok(())
}

/// Asks for a code for `phone`, within the client address's limit and then the phone's.
pub async fn request_code(app: &Application, phone: &Phone, purpose: Purpose, client: ClientAddress) -> AppResult<()> {
    if !app.admit(&format!("sms:{client}"), ACCOUNT_RATE).await? {
        tracing::warn!(%client, "SMS code requests throttled for this address");
        return Err(too_many("too many code requests from this address; try again later"));
    }
    Ok(app.sms.request(&app.graph, phone, purpose, app.now()).await?)
}

/// Sets a member's password with a code for `purpose`, ends every session of the member, and
/// records it in the audit log, in one transaction. The new password is checked first: a bad one
/// costs no try.
pub async fn set_password_by_code(
    app: &Application,
    phone: &Phone,
    purpose: Purpose,
    code: &str,
    new_password: &str,
    via: Via,
) -> AppResult<()> {
    let action = match purpose {
        Purpose::Reset => AuditAction::MemberPasswordReset,
        Purpose::Change => AuditAction::MemberPasswordChange,
        // A registration code proves a phone that has no account yet: it sets no password.
        Purpose::Register | Purpose::Login => {
            return Err(AppError::refused(ErrorCode::InvalidPurpose, "only a reset or a change code sets a password"));
        }
    };
    let password = Password::choose(new_password, phone.as_str())?;
    app.sms.redeem(&app.graph, phone, purpose, code.trim(), app.now()).await?;
    let hash = blocking(move || password.hash()).await?;
    let now_ms = app.now_ms();
    app.graph
        .write(|txn| {
            let (phone, hash) = (phone.clone(), hash.clone());
            Box::pin(async move {
                // The never-sent code of an unregistered phone, guessed: the same answer as a wrong code.
                let ended = members::set_password_in(txn, &phone, &hash).await?.ok_or(CodeError::Invalid)?;
                let detail = Detail { via: Some(via), sessions_ended: Some(ended), ..Detail::default() };
                audit(txn, &Actor::Member(phone.clone()), action, phone.as_str(), &detail, now_ms).await
            })
        })
        .await?;
    tracing::info!(phone = %phone.masked(), action = action.as_str(), "member password set by SMS code");
    Ok(())
}

//! Signing in, for members and operators alike, and setting a member's password by SMS code.
//!
//! Nothing here answers differently for an account that does not exist: a login with an unknown
//! phone or username spends the time of a password check and answers `invalid_credentials`; a
//! reset answers `invalid_code`.
use super::sms::{CodeError, Purpose};
use super::{AppError, AppResult, Application, audit, blocking};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::error_code::ErrorCode;
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::domain::throttle::Rate;
use crate::graph::{admins, members};

/// Login attempts, by account (`member:PHONE`, `admin:NAME`) and by client address (`ip:ADDR`):
/// 10 at once, then one more every 90 seconds (40 an hour at most).
pub const LOGIN_RATE: Rate = Rate { burst: 10, every: std::time::Duration::from_secs(90) };
/// Member account requests that tell something about a phone, by client address: SMS codes
/// (`sms:ADDR`, on top of the per-phone limits) and registration (`register:ADDR`), 20 an hour each.
pub const ACCOUNT_RATE: Rate = Rate { burst: 20, every: std::time::Duration::from_secs(180) };

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

/// Both throttles of a login: the account's and the client address's.
async fn admitted(app: &Application, account: &str, client: &str) -> AppResult<bool> {
    Ok(app.admit(account, LOGIN_RATE).await? && app.admit(&format!("ip:{client}"), LOGIN_RATE).await?)
}

/// Checks a member's phone and password, throttled per phone and per client address.
pub async fn member_login(app: &Application, phone: &Phone, password: &str, client: &str) -> AppResult<()> {
    if !admitted(app, &format!("member:{phone}"), client).await? {
        tracing::warn!(phone = %phone.masked(), client, "member login throttled");
        return Err(too_many("too many login attempts; try again later"));
    }
    let stored = members::password_hash(&app.graph, phone).await?.flatten();
    if !password_matches(stored, password).await? {
        tracing::info!(phone = %phone.masked(), client, "member login refused");
        return Err(invalid_credentials("wrong phone number or password"));
    }
    Ok(())
}

/// Checks an operator's username and password, throttled per username and per client address,
/// and records the login in the audit log.
pub async fn admin_login(app: &Application, username: &str, password: &str, client: &str) -> AppResult<()> {
    let username = username.trim();
    if !admitted(app, &format!("admin:{username}"), client).await? {
        tracing::warn!(username, client, "admin login throttled");
        return Err(too_many("too many login attempts; try again later"));
    }
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
    if !password_matches(stored.map(|admin| admin.password_hash), password).await? {
        tracing::info!(username, client, "admin login refused");
        return Err(invalid_credentials("wrong username or password"));
    }
    let (actor, now_ms) = (Actor::Admin(username.to_string()), app.now_ms());
    crate::graph::audit::record(&app.graph, &actor.to_string(), AuditAction::AdminLogin.as_str(), username, client, now_ms).await?;
    Ok(())
}

/// Asks for a code for `phone`, within the client address's limit and then the phone's.
pub async fn request_code(app: &Application, phone: &Phone, purpose: Purpose, client: &str) -> AppResult<()> {
    if !app.admit(&format!("sms:{client}"), ACCOUNT_RATE).await? {
        tracing::warn!(client, "SMS code requests throttled for this address");
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
    via: &str,
) -> AppResult<()> {
    let password = Password::parse(new_password)?;
    app.sms.redeem(&app.graph, phone, purpose, code.trim(), app.now()).await?;
    let hash = blocking(move || password.hash()).await?;
    let action = match purpose {
        Purpose::Reset => AuditAction::MemberPasswordReset,
        Purpose::Change => AuditAction::MemberPasswordChange,
    };
    let now_ms = app.now_ms();
    app.graph
        .write(|txn| {
            let (phone, hash, via) = (phone.clone(), hash.clone(), via.to_string());
            Box::pin(async move {
                // The never-sent code of an unregistered phone, guessed: the same answer as a wrong code.
                let ended = members::set_password_in(txn, &phone, &hash).await?.ok_or(CodeError::Invalid)?;
                let detail = format!("by SMS code, {via}; {ended} sessions ended");
                audit(txn, &Actor::Member(phone.clone()), action, phone.as_str(), &detail, now_ms).await
            })
        })
        .await?;
    tracing::info!(phone = %phone.masked(), action = action.as_str(), "member password set by SMS code");
    Ok(())
}

//! Operator accounts, made on the command line: created with a role, given a new password (which
//! ends every session of theirs), disabled.
use super::{AppError, AppResult, Application, audit, blocking};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::error_code::ErrorCode;
use crate::domain::password::Password;
use crate::domain::role::Role;
use crate::graph::admins;

/// 1 to 64 ASCII letters, digits, dots, dashes or underscores.
pub fn parse_username(text: &str) -> AppResult<String> {
    let username = text.trim();
    let valid = !username.is_empty() && username.len() <= 64 && username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !valid {
        return Err(AppError::refused(ErrorCode::InvalidUsername, "a username has 1 to 64 letters, digits, dots, dashes or underscores"));
    }
    Ok(username.to_string())
}

/// Whether [`add`] created the admin or set a new password for an existing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    Created,
    PasswordSet,
}

/// What [`add`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddOutcome {
    pub added: Added,
    /// The admin's role now.
    pub role: Role,
    /// An existing admin's role changed.
    pub role_changed: bool,
    /// The admin was disabled and may log in again.
    pub re_enabled: bool,
    pub sessions_ended: i64,
}

/// Creates an admin with `role` (an owner when none is given), or sets a new password for an
/// existing one (and its role, when one is given). Either way the admin may log in afterwards: `add`
/// on a disabled admin enables it again, since giving it a password is the deliberate act of
/// letting it back in. A new password ends every session the admin had. Recorded in the audit log
/// by `actor` (a role change as an entry of its own), in the same transaction.
pub async fn add(app: &Application, actor: &Actor, username: &str, password: Password, role: Option<Role>) -> AppResult<AddOutcome> {
    let username = parse_username(username)?;
    let hash = blocking(move || password.hash()).await?;
    let now_ms = app.now_ms();
    let outcome = app
        .graph
        .write(|txn| {
            let (username, hash, actor) = (username.clone(), hash.clone(), actor.clone());
            Box::pin(async move {
                let done = admins::upsert_in(txn, &username, &hash, role, now_ms).await?;
                let stored = Role::stored(Some(done.role.as_str())).ok_or_else(|| {
                    AppError::corrupt(format!(
                        "admin {username} has the role {:?}, which this version does not know; give --role",
                        done.role
                    ))
                })?;
                let previous = Role::stored(done.previous_role.as_deref());
                let role_changed = !done.created && previous != Some(stored);
                let outcome = AddOutcome {
                    added: if done.created { Added::Created } else { Added::PasswordSet },
                    role: stored,
                    role_changed,
                    re_enabled: done.was_disabled,
                    sessions_ended: done.sessions_ended,
                };
                let action = match outcome.added {
                    Added::Created => AuditAction::AdminAdd,
                    Added::PasswordSet => AuditAction::AdminPassword,
                };
                let detail = Detail {
                    role: Some(stored.to_string()),
                    sessions_ended: Some(done.sessions_ended),
                    enabled_again: done.was_disabled,
                    ..Detail::default()
                };
                audit(txn, &actor, action, &username, &detail, now_ms).await?;
                if role_changed {
                    // An admin stored without a role is an owner.
                    let was = previous.map_or_else(|| done.previous_role.clone().unwrap_or_default(), |role| role.to_string());
                    let detail = Detail { role: Some(stored.to_string()), role_was: Some(was), ..Detail::default() };
                    audit(txn, &actor, AuditAction::AdminRole, &username, &detail, now_ms).await?;
                }
                Ok::<_, AppError>(outcome)
            })
        })
        .await?;
    tracing::info!(username, role = %outcome.role, sessions_ended = outcome.sessions_ended, "admin added or its password set");
    Ok(outcome)
}

/// What [`disable`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisableOutcome {
    /// It was disabled before (disabling again changes nothing but ends any session).
    pub already: bool,
    pub sessions_ended: i64,
}

/// Disables an admin: it can no longer log in, and every session of theirs ends now (each page
/// also reads the account at every request, so none would serve it anyway). Recorded in the audit
/// log by `actor` in the same transaction. `admin_not_found` when there is no such admin.
pub async fn disable(app: &Application, actor: &Actor, username: &str) -> AppResult<DisableOutcome> {
    let username = parse_username(username)?;
    let now_ms = app.now_ms();
    let outcome = app
        .graph
        .write(|txn| {
            let (username, actor) = (username.clone(), actor.clone());
            Box::pin(async move {
                let done = admins::disable_in(txn, &username, now_ms)
                    .await?
                    .ok_or_else(|| AppError::refused(ErrorCode::AdminNotFound, format!("no admin is named {username}")))?;
                let detail = Detail { sessions_ended: Some(done.sessions_ended), disabled_already: done.was_disabled, ..Detail::default() };
                audit(txn, &actor, AuditAction::AdminDisable, &username, &detail, now_ms).await?;
                Ok::<_, AppError>(DisableOutcome { already: done.was_disabled, sessions_ended: done.sessions_ended })
            })
        })
        .await?;
    tracing::info!(username, sessions_ended = outcome.sessions_ended, "admin disabled");
    Ok(outcome)
}

//! Operator accounts, made on the command line.
use super::{AppError, AppResult, Application, audit, blocking};
use crate::domain::audit::{Actor, AuditAction};
use crate::domain::error_code::ErrorCode;
use crate::domain::password::Password;
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

/// Creates an admin, or sets a new password for an existing one; recorded in the audit log by `actor`.
pub async fn add(app: &Application, actor: &Actor, username: &str, password: Password) -> AppResult<Added> {
    let username = parse_username(username)?;
    let hash = blocking(move || password.hash()).await?;
    let now_ms = app.now_ms();
    app.graph
        .write(|txn| {
            let (username, hash, actor) = (username.clone(), hash.clone(), actor.clone());
            Box::pin(async move {
                let created = admins::upsert_in(txn, &username, &hash, now_ms).await?;
                let (added, action) = match created {
                    true => (Added::Created, AuditAction::AdminAdd),
                    false => (Added::PasswordSet, AuditAction::AdminPassword),
                };
                audit(txn, &actor, action, &username, "", now_ms).await?;
                Ok(added)
            })
        })
        .await
}

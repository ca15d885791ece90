//! API keys of the mall's systems: created (the secret shown once) and revoked, by an operator.
use sha2::{Digest, Sha256};

use super::{AppError, AppResult, Application, audit};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::error_code::ErrorCode;
use crate::domain::name::Name;
use crate::domain::scope::Scope;
use crate::graph::api_keys;

/// The text of a new key: `gp_` and 64 hex digits of randomness.
pub fn generate_key() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("gp_{}", hex::encode(bytes))
}

/// What a key is stored and looked up by: the SHA-256 of its text (it has 256 random bits, so a
/// fast hash is enough).
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new key: its id, and its secret, which is never stored and shown only this once.
pub struct CreatedKey {
    pub id: String,
    pub secret: String,
}

/// Creates a key with `scopes` (at least one; each once, in the usual order), recorded in the
/// audit log by `actor`.
pub async fn create(app: &Application, actor: &Actor, name: &Name, scopes: &[Scope]) -> AppResult<CreatedKey> {
    let scopes: Vec<String> = Scope::ALL.into_iter().filter(|s| scopes.contains(s)).map(|s| s.as_str().to_string()).collect();
    if scopes.is_empty() {
        return Err(AppError::refused(ErrorCode::InvalidScope, "a key has at least one scope"));
    }
    let created = CreatedKey { id: uuid::Uuid::new_v4().to_string(), secret: generate_key() };
    let key_hash = hash_key(&created.secret);
    let detail = Detail { key_name: Some(name.as_str().to_string()), scopes: scopes.clone(), ..Detail::default() };
    let now_ms = app.now_ms();
    app.graph
        .write(|txn| {
            let (id, name, key_hash, scopes, detail, actor) =
                (created.id.clone(), name.as_str().to_string(), key_hash.clone(), scopes.clone(), detail.clone(), actor.clone());
            Box::pin(async move {
                api_keys::create_in(txn, &id, &name, &key_hash, &scopes, now_ms).await?;
                audit(txn, &actor, AuditAction::ApiKeyCreate, &id, &detail, now_ms).await
            })
        })
        .await?;
    Ok(created)
}

/// Revokes a live key, recorded in the audit log by `actor`.
pub async fn revoke(app: &Application, actor: &Actor, id: &str) -> AppResult<()> {
    let now_ms = app.now_ms();
    app.graph
        .write(|txn| {
            let (id, actor) = (id.to_string(), actor.clone());
            Box::pin(async move {
                let name = api_keys::revoke_in(txn, &id, now_ms)
                    .await?
                    .ok_or_else(|| AppError::refused(ErrorCode::ApiKeyNotFound, "no live API key has this id"))?;
                let detail = Detail { key_name: Some(name), ..Detail::default() };
                audit(txn, &actor, AuditAction::ApiKeyRevoke, &id, &detail, now_ms).await
            })
        })
        .await
}

//! Withdrawals of available points: requested by a member (through the portal or `/api/v1/me`)
//! or for a member by the mall's systems, then approved and paid, or rejected, by an operator or
//! an API client. Each step is one transaction with its ledger movement and audit entry.
use super::{AppError, AppResult, Application, apply_movement, audit};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::error_code::ErrorCode;
use crate::domain::ledger::Movement;
use crate::domain::money::Money;
use crate::domain::phone::Phone;
use crate::domain::withdrawal::{Decision, NotAllowed};
use crate::graph::withdrawals::{self, NewWithdrawal, WithdrawalRow};
use crate::graph::{Txn, members, params};

/// One withdrawal, by its id.
pub async fn get(app: &Application, id: &str) -> AppResult<WithdrawalRow> {
    withdrawals::get(&app.graph, id).await?.ok_or_else(AppError::withdrawal_not_found)
}

/// Requests a withdrawal of `amount` for `phone`: at least `withdrawal_min`, under the caller's
/// idempotency key (1 to 100 characters); the amount moves from available (which must cover it)
/// to frozen. The same key with the same request replays the withdrawal; with another, 409.
pub async fn request(app: &Application, actor: &Actor, phone: &Phone, amount: Money, key: &str) -> AppResult<WithdrawalRow> {
    if key.is_empty() || key.chars().count() > 100 {
        return Err(AppError::refused(ErrorCode::InvalidIdempotencyKey, "an idempotency key has 1 to 100 characters"));
    }
    if !members::exists(&app.graph, phone).await? {
        return Err(AppError::member_not_found());
    }
    let history = params::history(&app.graph).await?;
    let in_force = &history.in_force(app.today()).params;
    if amount < in_force.withdrawal_min() {
        return Err(AppError::refused(ErrorCode::BelowWithdrawalMin, format!("a withdrawal is at least {}", in_force.withdrawal_min())));
    }
    let new = NewWithdrawal {
        phone: phone.as_str().to_string(),
        amount_fen: amount.fen(),
        fee_fen: amount.floor_times(in_force.withdrawal_fee_rate()).fen(),
        idempotency_key: format!("{phone}|{key}"),
    };
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            let (actor, new, key) = (actor.clone(), new.clone(), key.to_string());
            Box::pin(async move { request_in(txn, &actor, &new, &key, amount, now_ms).await })
        })
        .await
}

async fn request_in(txn: &mut Txn, actor: &Actor, new: &NewWithdrawal, key: &str, amount: Money, now_ms: i64) -> AppResult<WithdrawalRow> {
    if let Some(existing) = withdrawals::by_key_in(txn, new, key).await? {
        return if existing.request_hash == new.request_hash() { Ok(existing) } else { Err(AppError::idempotency_key_conflict()) };
    }
    let id = uuid::Uuid::new_v4().to_string();
    if !withdrawals::create_in(txn, &id, new, now_ms).await? {
        return Err(AppError::member_not_found());
    }
    apply_movement(txn, &new.phone, &Movement::withdrawal_requested(&id, amount), now_ms).await?;
    let detail = Detail { amount: Some(amount.to_string()), member: Some(new.phone.to_string()), ..Detail::default() };
    audit(txn, actor, AuditAction::WithdrawalRequest, &id, &detail, now_ms).await?;
    withdrawals::get_in(txn, &id).await?.ok_or_else(|| AppError::corrupt("withdrawal vanished"))
}

/// Moves a withdrawal on by `decision`; refused with `withdrawal_state` from a status the
/// decision does not leave (also when another server moved it meanwhile: the refusal names the
/// status it has now).
pub async fn decide(app: &Application, actor: &Actor, id: &str, decision: Decision) -> AppResult<WithdrawalRow> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::withdrawal_not_found());
    }
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            let (actor, id) = (actor.clone(), id.to_string());
            Box::pin(async move { decide_in(txn, &actor, &id, decision, now_ms).await })
        })
        .await
}

async fn decide_in(txn: &mut Txn, actor: &Actor, id: &str, decision: Decision, now_ms: i64) -> AppResult<WithdrawalRow> {
    let current = withdrawals::get_in(txn, id).await?.ok_or_else(AppError::withdrawal_not_found)?;
    let transition = decision.from(current.status)?;
    if !withdrawals::move_in(txn, id, transition.from, transition.to, &actor.to_string(), now_ms).await? {
        let now = withdrawals::get_in(txn, id).await?.ok_or_else(AppError::withdrawal_not_found)?;
        return Err(NotAllowed { from: now.status, to: transition.to }.into());
    }
    let amount = Money::from_fen(current.amount_fen).map_err(|e| AppError::corrupt(format!("withdrawal {id} amount: {e}")))?;
    if let Some(movement) = Movement::withdrawal_decided(id, amount, transition.frozen, actor) {
        apply_movement(txn, &current.phone, &movement, now_ms).await?;
    }
    let detail = Detail { amount: Some(amount.to_string()), member: Some(current.phone.to_string()), ..Detail::default() };
    audit(txn, actor, transition.action, id, &detail, now_ms).await?;
    withdrawals::get_in(txn, id).await?.ok_or_else(|| AppError::corrupt("withdrawal vanished"))
}

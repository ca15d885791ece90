//! Withdrawals of available points: requested by a member (through the portal or `/api/v1/me`)
//! or for a member by the mall's systems, then approved and paid, or rejected, by an operator or
//! an API client. Each step is one transaction with its ledger movement and audit entry.
use super::{AppError, AppResult, Application, apply_movement, audit, payout_accounts};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::error_code::ErrorCode;
use crate::domain::ledger::Movement;
use crate::domain::money::Money;
use crate::domain::payout_account::PayoutAccount;
use crate::domain::phone::Phone;
use crate::domain::reason::Reason;
use crate::domain::withdrawal::{Decision, NotAllowed, WithdrawalStatus};
use crate::graph::withdrawals::{self, Move, NewWithdrawal, WithdrawalRow};
use crate::graph::{Txn, params};

/// One withdrawal, by its id.
pub async fn get(app: &Application, id: &str) -> AppResult<WithdrawalRow> {
    withdrawals::get(&app.graph, id).await?.ok_or_else(AppError::withdrawal_not_found)
}

/// Requests a withdrawal of `amount` for `phone`: at least `withdrawal_min`, under the caller's
/// idempotency key (1 to 100 characters); the amount moves from available (which must cover it)
/// to frozen, and the withdrawal goes to the member's payout account as it is now. A member asks
/// only with a payout account set; the mall may ask without one (it then pays through its own
/// channel). The same key with the same request replays the withdrawal; with another, 409.
pub async fn request(app: &Application, actor: &Actor, phone: &Phone, amount: Money, key: &str) -> AppResult<WithdrawalRow> {
    if key.is_empty() || key.chars().count() > 100 {
        return Err(AppError::refused(ErrorCode::InvalidIdempotencyKey, "an idempotency key has 1 to 100 characters"));
    }
    let Some(account) = crate::graph::payout_accounts::of_member(&app.graph, phone).await? else {
        return Err(AppError::member_not_found());
    };
    // An account is set once and only ever replaced, so one seen here is there when the
    // withdrawal copies it.
    if matches!(actor, Actor::Member(_)) && account.sealed.is_none() {
        return Err(AppError::refused(ErrorCode::PayoutAccountRequired, "set a payout account before asking for a withdrawal"));
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
/// status it has now). A rejection carries its reason (1 to 200 characters), which its member sees.
pub async fn decide(app: &Application, actor: &Actor, id: &str, decision: Decision, reason: Option<&str>) -> AppResult<WithdrawalRow> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::withdrawal_not_found());
    }
    let reason = match reason.map(str::trim) {
        Some(reason) if decision == Decision::Reject => Some(Reason::parse(reason)?),
        _ => None,
    };
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            let (actor, id, reason) = (actor.clone(), id.to_string(), reason.clone());
            Box::pin(async move { decide_in(txn, &actor, &id, decision, reason.as_ref(), now_ms).await })
        })
        .await
}

async fn decide_in(
    txn: &mut Txn,
    actor: &Actor,
    id: &str,
    decision: Decision,
    reason: Option<&Reason>,
    now_ms: i64,
) -> AppResult<WithdrawalRow> {
    let current = withdrawals::get_in(txn, id).await?.ok_or_else(AppError::withdrawal_not_found)?;
    let transition = decision.from(current.status)?;
    let actor_text = actor.to_string();
    let step = Move { from: transition.from, to: transition.to, actor: &actor_text, reason: reason.map(Reason::as_str) };
    if !withdrawals::move_in(txn, id, &step, now_ms).await? {
        let now = withdrawals::get_in(txn, id).await?.ok_or_else(AppError::withdrawal_not_found)?;
        return Err(NotAllowed { from: now.status, to: transition.to }.into());
    }
    let amount = Money::from_fen(current.amount_fen).map_err(|e| AppError::corrupt(format!("withdrawal {id} amount: {e}")))?;
    if let Some(movement) = Movement::withdrawal_decided(id, amount, transition.frozen, actor) {
        apply_movement(txn, &current.phone, &movement, now_ms).await?;
    }
    let detail = Detail {
        amount: Some(amount.to_string()),
        member: Some(current.phone.to_string()),
        reason: reason.map(|r| r.as_str().to_string()),
        ..Detail::default()
    };
    audit(txn, actor, transition.action, id, &detail, now_ms).await?;
    withdrawals::get_in(txn, id).await?.ok_or_else(|| AppError::corrupt("withdrawal vanished"))
}

/// An approved withdrawal in the bank's payment file, with its account opened (`None` for one the
/// mall pays through its own channel).
pub struct PaymentLine {
    pub withdrawal: WithdrawalRow,
    pub account: Option<PayoutAccount>,
}

/// Every approved withdrawal, the oldest first, with its payout account opened: the batch the
/// bank pays. The export is in the audit log, with the batch's total.
pub async fn payment_file(app: &Application, actor: &Actor) -> AppResult<Vec<PaymentLine>> {
    const PAGE: i64 = 500;
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = withdrawals::list(&app.graph, Some(WithdrawalStatus::Approved), after.clone(), PAGE).await?;
        after = page.last().map(|row| (row.created_at_ms, row.id.clone()));
        let full = page.len() as i64 == PAGE;
        rows.extend(page);
        if !full {
            break;
        }
    }
    rows.reverse();
    let lines = rows
        .into_iter()
        .map(|row| {
            let account = row.account_sealed.as_deref().map(|sealed| payout_accounts::open(app, &row.phone, sealed)).transpose()?;
            Ok(PaymentLine { withdrawal: row, account })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let total: i64 = lines.iter().map(|line| line.withdrawal.amount_fen - line.withdrawal.fee_fen).sum();
    let total = Money::from_fen(total).map_err(|e| AppError::corrupt(format!("payment file total: {e}")))?;
    let now_ms = app.now_ms();
    let detail = Detail { amount: Some(total.to_string()), ..Detail::default() };
    app.graph
        .write(move |txn| {
            let (actor, detail) = (actor.clone(), detail.clone());
            Box::pin(async move { audit(txn, &actor, AuditAction::WithdrawalExport, "approved", &detail, now_ms).await })
        })
        .await?;
    Ok(lines)
}

//! Adjustments of a member's available points by an operator, with a reason.
use sha2::{Digest, Sha256};

use super::{AppError, AppResult, Application, apply_movement, audit};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::error_code::ErrorCode;
use crate::domain::ledger::Movement;
use crate::domain::money::SignedMoney;
use crate::domain::phone::Phone;
use crate::domain::reason::Reason;
use crate::graph::Txn;
use crate::graph::ledger::{self, KeyedAdjustment};
use crate::graph::members;

/// An adjustment, parsed: the amount (signed), why, and the caller's idempotency key if any.
#[derive(Clone, Debug)]
pub struct Adjustment {
    pub phone: Phone,
    pub amount: SignedMoney,
    pub reason: String,
    pub idempotency_key: Option<String>,
}

impl Adjustment {
    /// Checks the reason ([`Reason`]) and the key (1 to 100 characters).
    pub fn parse(phone: Phone, amount: SignedMoney, reason: &str, idempotency_key: Option<&str>) -> AppResult<Adjustment> {
        let reason = Reason::parse(reason)?.as_str().to_string();
        if idempotency_key.is_some_and(|key| key.is_empty() || key.chars().count() > 100) {
            return Err(AppError::refused(ErrorCode::InvalidIdempotencyKey, "an idempotency key has 1 to 100 characters"));
        }
        Ok(Adjustment { phone, amount, reason, idempotency_key: idempotency_key.map(str::to_string) })
    }
}

/// What an adjustment did: moved points, or found the same request under its key already done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adjusted {
    /// The new available balance in fen.
    Applied(i64),
    /// The available balance the first request left, in fen.
    Replayed(i64),
}

impl Adjusted {
    pub fn available_fen(self) -> i64 {
        match self {
            Adjusted::Applied(fen) | Adjusted::Replayed(fen) => fen,
        }
    }
}

/// Adds (or, negative, removes) available points of a member, recording who and why in the
/// movement and the audit log; refused when available would go negative. With an idempotency
/// key (unique per member), the same request again replays the first answer and moves nothing;
/// another request under the key is refused.
pub async fn adjust(app: &Application, actor: &Actor, adjustment: Adjustment) -> AppResult<Adjusted> {
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            let (actor, adjustment) = (actor.clone(), adjustment.clone());
            Box::pin(async move { adjust_in(txn, &actor, &adjustment, now_ms).await })
        })
        .await
}

async fn adjust_in(txn: &mut Txn, actor: &Actor, adjustment: &Adjustment, now_ms: i64) -> AppResult<Adjusted> {
    let phone = adjustment.phone.as_str();
    let fen = adjustment.amount.fen();
    let key = adjustment.idempotency_key.as_deref().map(|key| format!("{phone}|{key}"));
    let request_hash = hex::encode(Sha256::digest(format!("{phone}\n{fen}\n{}", adjustment.reason).as_bytes()));
    if let Some(key) = key.as_deref()
        && let Some(first) = ledger::adjustment_by_key_in(txn, key).await?
    {
        return if first.request_hash == request_hash {
            Ok(Adjusted::Replayed(first.available_fen))
        } else {
            Err(AppError::idempotency_key_conflict())
        };
    }
    if !members::exists_in(txn, phone).await? {
        return Err(AppError::member_not_found());
    }
    let amount = format!("{}{}", if fen > 0 { "+" } else { "" }, rust_decimal::Decimal::new(fen, 2));
    let detail = Detail { amount: Some(amount), reason: Some(adjustment.reason.to_string()), ..Detail::default() };
    audit(txn, actor, AuditAction::MemberAdjust, phone, &detail, now_ms).await?;
    let movement = Movement::adjustment(adjustment.amount, &adjustment.reason, actor);
    let available = apply_movement(txn, phone, &movement, now_ms).await?;
    if let Some(key) = key.as_deref() {
        ledger::record_adjustment_key_in(txn, key, &KeyedAdjustment { request_hash, available_fen: available }, now_ms).await?;
    }
    Ok(Adjusted::Applied(available))
}

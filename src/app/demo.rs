//! The demo that `make run` leaves behind (`greenpoints demo`): the first settled day is the
//! first with orders to release, every day through yesterday is settled and today is left for the
//! operator to preview and settle, and one member with a team and income can log in.
use super::{AppError, AppResult, Application, audit, blocking};
use crate::domain::audit::{Actor, AuditAction, Detail, Via};
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::graph::settlements::{days, statements};
use crate::graph::{GraphError, members, orders};

/// The days the demo settles: from the day after the first orders were paid (or after the
/// latest settled day) through yesterday; empty when nothing is left before today.
pub async fn days_to_settle(app: &Application) -> AppResult<Option<(BusinessDay, BusinessDay)>> {
    let yesterday = app.today().pred();
    let first = match days::last_settled_day(&app.graph).await? {
        Some(last) => last.succ(),
        None => match orders::first_start_day(&app.graph).await? {
            // The first day ever settled is the one asked for: the first with orders to release.
            Some(first) => first.succ(),
            None => return Ok(None),
        },
    };
    Ok((first <= yesterday).then_some((first, yesterday)))
}

/// The member the demo logs in as, with what its pages show.
#[derive(Debug)]
pub struct Showcase {
    pub phone: Phone,
    pub team_size: i64,
    pub day: BusinessDay,
    /// What the member was credited on `day`.
    pub credited: Money,
}

/// The member with the largest accelerated release on the latest settled day, the root aside
/// (its team is the whole network, which no member's is); `None` before any settled day.
pub async fn showcase(app: &Application) -> AppResult<Option<Showcase>> {
    let Some(day) = days::last_settled_day(&app.graph).await? else { return Ok(None) };
    let root = members::root(&app.graph).await?;
    let payouts = statements::day_amounts(&app.graph, day).await?;
    let accelerated = |p: &statements::PayoutAmounts| p.credited.fen() - p.amounts.r#static.fen();
    let Some(best) = payouts.iter().filter(|p| Some(&p.phone) != root.as_ref()).max_by_key(|p| (accelerated(p), p.credited.fen())) else {
        return Ok(None);
    };
    let phone = Phone::parse(&best.phone).map_err(|e| GraphError::Corrupt(format!("stored phone {}: {e}", best.phone)))?;
    let summary = members::summary(&app.graph, &phone, &[])
        .await?
        .ok_or_else(|| GraphError::Corrupt(format!("the statement of {} has no member", best.phone)))?;
    Ok(Some(Showcase { phone, team_size: summary.team_size, day, credited: best.credited }))
}

/// Gives the demo member `phone` a password (members otherwise choose theirs with an SMS code),
/// ends its sessions, and records it in the audit log.
pub async fn give_password(app: &Application, actor: &Actor, phone: &Phone, password: Password) -> AppResult<()> {
    let hash = blocking(move || password.hash()).await?;
    let now_ms = app.now_ms();
    app.graph
        .write(|txn| {
            let (phone, hash, actor) = (phone.clone(), hash.clone(), actor.clone());
            Box::pin(async move {
                let ended = members::set_password_in(txn, &phone, &hash).await?.ok_or_else(AppError::member_not_found)?;
                let detail = Detail { via: Some(Via::Demo), sessions_ended: Some(ended), ..Detail::default() };
                audit(txn, &actor, AuditAction::MemberPasswordDemo, phone.as_str(), &detail, now_ms).await
            })
        })
        .await
}

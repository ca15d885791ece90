//! Members and the referral tree: registration (by the mall's systems or through a sponsor's
//! invitation link, which carries the sponsor's invitation code and needs an SMS code proving the
//! new member's phone), invitation codes, and sponsor changes.
use super::sms::Purpose;
use super::{AppError, AppResult, Application, audit, auth, blocking};
use crate::domain::audit::{Actor, AuditAction, Detail, Via};
use crate::domain::error_code::ErrorCode;
use crate::domain::invitation::InvitationCode;
use crate::domain::money::Money;
use crate::domain::name::Name;
use crate::domain::params::Params;
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::graph::Txn;
use crate::graph::fence;
use crate::graph::members::{self, ListOrder, NewMember};
use crate::graph::teams;

/// A registration, parsed.
pub struct Registration {
    pub phone: Phone,
    /// None only for the first member of the scheme (the root).
    pub sponsor: Option<Phone>,
    pub name: Option<Name>,
    /// A member without a password cannot log in until it sets one by SMS.
    pub password: Option<Password>,
    /// How it came in, for the audit log (the API, or an invitation page with its code and the
    /// client's address).
    pub origin: Detail,
}

/// Registers a member under its sponsor (the first member of a scheme has none), recorded in the
/// audit log by `actor`.
pub async fn register(app: &Application, actor: &Actor, registration: Registration) -> AppResult<()> {
    // Argon2 takes tens of milliseconds of CPU: off the request threads.
    let password_hash = match registration.password {
        Some(password) => Some(blocking(move || password.hash()).await?),
        None => None,
    };
    let member = NewMember {
        phone: registration.phone,
        sponsor: registration.sponsor,
        name: registration.name.map(|n| n.as_str().to_string()),
        password_hash,
        invitation_code: InvitationCode::generate(),
    };
    let detail = Detail {
        sponsor: member.sponsor.as_ref().map(|sponsor| sponsor.to_string()),
        root: member.sponsor.is_none(),
        ..registration.origin
    };
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            // A new code at every attempt: one that another member has (a one-in-a-million
            // chance with a million members) fails its constraint, and the transaction runs again.
            let member = NewMember { invitation_code: InvitationCode::generate(), ..member.clone() };
            let (actor, detail) = (actor.clone(), detail.clone());
            Box::pin(async move { register_in(txn, &member, &actor, &detail, now_ms).await })
        })
        .await
}

async fn register_in(txn: &mut Txn, member: &NewMember, actor: &Actor, detail: &Detail, now_ms: i64) -> AppResult<()> {
    if members::exists_in(txn, member.phone.as_str()).await? {
        return Err(AppError::refused(ErrorCode::PhoneTaken, "a member with this phone number already exists"));
    }
    if member.sponsor.is_none() && members::has_root_in(txn).await? {
        return Err(AppError::refused(ErrorCode::RootExists, "the scheme already has its root member; name a sponsor"));
    }
    if !members::create_in(txn, member, now_ms).await? {
        return Err(AppError::refused(ErrorCode::SponsorNotFound, "the sponsor is not a member"));
    }
    audit(txn, actor, AuditAction::MemberRegister, member.phone.as_str(), detail, now_ms).await
}

/// A registration through an invitation link (the member registers itself), parsed.
pub struct Invited {
    /// The sponsor's invitation code, from the link.
    pub invitation: InvitationCode,
    pub phone: Phone,
    pub name: Option<Name>,
    pub password: Password,
    /// The code of the SMS sent to `phone` for registration ([`request_registration_code`]).
    pub sms_code: String,
    /// The client's address, for the audit log.
    pub client: String,
}

fn invalid_invitation() -> AppError {
    AppError::refused(ErrorCode::InvalidInvitation, "no member has this invitation code")
}

/// The phone of the member whose invitation code this is: the sponsor its invitation link names;
/// refused with `invalid_invitation` when no member has it.
pub async fn sponsor_of(app: &Application, invitation: &InvitationCode) -> AppResult<Phone> {
    let phone = members::by_invitation_code(&app.graph, invitation).await?.ok_or_else(invalid_invitation)?;
    Phone::parse(&phone)
        .map_err(|_| AppError::corrupt(format!("the stored phone of the member with invitation code {invitation} does not read")))
}

/// Sends a registration code to `phone` for an invitation link, within the client address's and
/// the phone's limits (those of every SMS code). The code goes only to a phone that is not
/// registered yet; a registered phone gets the same answer and nothing (registering it is then
/// refused with `phone_taken`). Answers the sponsor.
pub async fn request_registration_code(
    app: &Application,
    invitation: &InvitationCode,
    phone: &Phone,
    client: crate::domain::client_address::ClientAddress,
) -> AppResult<Phone> {
    let sponsor = sponsor_of(app, invitation).await?;
    auth::request_code(app, phone, Purpose::Register, client).await?;
    Ok(sponsor)
}

/// Registers a member through an invitation link: under the owner of the invitation code, with
/// the code of the SMS sent to the phone for registration. Everything that needs no code is
/// checked first (the invitation, a phone already registered: `phone_taken`), so that those
/// refusals cost no try; a wrong code counts against the code's tries (`invalid_code`) and
/// creates nothing; the right code is used up, then the member is created and audited as
/// [`register`] does. Answers the sponsor.
pub async fn register_by_invitation(app: &Application, invited: Invited) -> AppResult<Phone> {
    let sponsor = sponsor_of(app, &invited.invitation).await?;
    if members::exists(&app.graph, &invited.phone).await? {
        return Err(AppError::refused(ErrorCode::PhoneTaken, "a member with this phone number already exists"));
    }
    app.sms.redeem(&app.graph, &invited.phone, Purpose::Register, invited.sms_code.trim(), app.now()).await?;
    let registration = Registration {
        phone: invited.phone.clone(),
        sponsor: Some(sponsor.clone()),
        name: invited.name,
        password: Some(invited.password),
        origin: Detail {
            via: Some(Via::InvitationPage),
            invitation: Some(invited.invitation.to_string()),
            client: Some(invited.client),
            ..Detail::default()
        },
    };
    register(app, &Actor::Member(invited.phone), registration).await?;
    Ok(sponsor)
}

/// A member's invitation code: `stored` as its summary read it, or, for a member stored before
/// invitation codes existed, one given to it now (once: the next reads find it stored).
pub async fn invitation_code(app: &Application, phone: &Phone, stored: Option<String>) -> AppResult<String> {
    if let Some(code) = stored {
        return Ok(code);
    }
    let given: Option<String> = app
        .graph
        .write(|txn| {
            let phone = phone.clone();
            // A new code at every attempt, as at registration.
            Box::pin(async move { members::give_invitation_code_in(txn, &phone, &InvitationCode::generate()).await })
        })
        .await?;
    if given.is_some() {
        tracing::info!(phone = %phone.masked(), "an invitation code given to a member stored before them");
    }
    given.ok_or_else(AppError::member_not_found)
}

/// Moves a member, with the whole tree below it, under a new sponsor: refused when the new
/// sponsor is the member itself or stands below it; moving under the current sponsor changes
/// nothing. The team aggregates move at once; settlements see the change from the first day that
/// has not begun (a day that is settling keeps the sponsor in force before it). Recorded in the
/// audit log by `actor`, in the same transaction.
pub async fn change_sponsor(app: &Application, actor: &Actor, phone: &Phone, new_sponsor: &Phone) -> AppResult<()> {
    let now_ms = app.now_ms();
    app.graph
        .write(move |txn| {
            let (phone, new_sponsor, actor) = (phone.clone(), new_sponsor.clone(), actor.clone());
            Box::pin(async move { change_sponsor_in(txn, &actor, &phone, &new_sponsor, now_ms).await })
        })
        .await
}

/// What a sponsor change moves: the member and its whole downline, with their volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SponsorMove {
    /// The sponsor now (None for the root).
    pub sponsor_was: Option<String>,
    /// The members that move: the member and its downline, as the uplines count them.
    pub members: i64,
    /// The team volume (cash and points) that leaves the old uplines for the new.
    pub volume: Money,
}

/// What changing `phone`'s sponsor to `new_sponsor` would move, for the console to confirm first:
/// refused exactly as the change would be, and changing nothing.
pub async fn sponsor_move(app: &Application, phone: &Phone, new_sponsor: &Phone) -> AppResult<SponsorMove> {
    app.graph
        .write(move |txn| {
            let (phone, new_sponsor) = (phone.clone(), new_sponsor.clone());
            Box::pin(async move {
                let member = sponsor_change_checked_in(txn, &phone, &new_sponsor).await?;
                let team =
                    teams::of_member_in(txn, phone.as_str()).await?.ok_or_else(|| AppError::corrupt("a member without a team node"))?;
                let carried = team.carried();
                let volume =
                    Money::from_fen(carried.cash_fen + carried.points_fen).map_err(|_| AppError::corrupt("a negative team volume"))?;
                Ok(SponsorMove { sponsor_was: member.sponsor_phone, members: carried.members, volume })
            })
        })
        .await
}

/// The refusals of a sponsor change; the member as it stands when the change may go ahead.
async fn sponsor_change_checked_in(txn: &mut Txn, phone: &Phone, new_sponsor: &Phone) -> AppResult<members::MemberRow> {
    let member = members::summary_in(txn, phone).await?.ok_or_else(AppError::member_not_found)?;
    if !members::exists_in(txn, new_sponsor.as_str()).await? {
        return Err(AppError::refused(ErrorCode::SponsorNotFound, "the sponsor is not a member"));
    }
    if new_sponsor == phone || members::is_in_downline_in(txn, new_sponsor, phone).await? {
        return Err(AppError::refused(ErrorCode::SponsorCycle, "the new sponsor is the member or stands in the member's downline"));
    }
    Ok(member)
}

async fn change_sponsor_in(txn: &mut Txn, actor: &Actor, phone: &Phone, new_sponsor: &Phone, now_ms: i64) -> AppResult<()> {
    let fence = fence::touch(txn, now_ms).await?;
    let member = sponsor_change_checked_in(txn, phone, new_sponsor).await?;
    if member.sponsor_phone.as_deref() == Some(new_sponsor.as_str()) {
        return Ok(());
    }
    if let Some(from_day) = fence.first_open_day() {
        members::keep_previous_sponsor_in(txn, phone, from_day, member.sponsor_phone.as_deref()).await?;
    }
    // What the uplines count of the member and its team moves; what they do not count yet is
    // counted by the fold, under the new sponsor (the raised version makes it read the tree again).
    let team = teams::of_member_in(txn, phone.as_str()).await?.ok_or_else(|| AppError::corrupt("a member without a team node"))?;
    members::move_under_in(txn, phone, new_sponsor, team.carried()).await?;
    teams::raise_tree_version_in(txn).await?;
    let detail = Detail { sponsor_was: member.sponsor_phone.clone(), sponsor: Some(new_sponsor.to_string()), ..Detail::default() };
    audit(txn, actor, AuditAction::MemberSponsor, phone.as_str(), &detail, now_ms).await
}

/// Which members the member list keeps: `None` keeps every one, `Some(None)` those without a tier
/// (or level), `Some(Some(i))` those of the tier (or level) at index `i` of the version in force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub tier: Option<Option<usize>>,
    pub level: Option<Option<usize>>,
}

/// Members scanned at most for one page when a filter keeps only some of them: a page may then
/// hold fewer than its limit, and the cursor goes on from where the scan stopped.
pub const LIST_WINDOW: i64 = 200;

/// One page of the member list.
pub struct ListPage {
    pub phones: Vec<String>,
    /// The key the next page reads below; None on the last page.
    pub next_key: Option<String>,
}

/// A page of at most `limit` members in `order` below the key `before` (from the top without
/// one), kept by `filter` under `params` (the version in force). A tier filter in team-volume
/// order is a range of the index itself; any other filter reads a window of [`LIST_WINDOW`]
/// members in order and keeps those that pass, so that no page costs more than that.
pub async fn list(
    app: &Application,
    params: &Params,
    order: ListOrder,
    filter: ListFilter,
    before: Option<&str>,
    limit: i64,
) -> AppResult<ListPage> {
    let tiers = params.team_tiers();
    let (from_key, ceiling) = match (order, filter.tier) {
        (ListOrder::TeamVolume, Some(tier)) => {
            let floor = |index: usize| tiers.get(index).map(|t| members::volume_key_floor(t.min_volume.fen()));
            let from = tier.map_or(Some(String::new()), floor).unwrap_or_default();
            let until = floor(tier.map_or(0, |index| index + 1)).unwrap_or_else(|| members::KEY_CEILING.to_string());
            (from, until)
        }
        _ => (String::new(), members::KEY_CEILING.to_string()),
    };
    let before = before.filter(|key| *key < ceiling.as_str()).unwrap_or(&ceiling);
    let in_range =
        |row: &members::Keyed| order == ListOrder::TeamVolume || filter.tier.is_none_or(|tier| tier_of(params, row.volume_fen) == tier);
    let scan = if filter.level.is_some() || (filter.tier.is_some() && order == ListOrder::Joined) { LIST_WINDOW } else { limit + 1 };
    let rows = members::in_order(&app.graph, order, before, &from_key, scan).await?;
    let largest = match filter.level {
        Some(_) => members::largest_orders(&app.graph, &rows.iter().map(|r| r.phone.clone()).collect::<Vec<_>>()).await?,
        None => Default::default(),
    };
    let passes = |row: &members::Keyed| {
        in_range(row) && filter.level.is_none_or(|level| level_of(params, largest.get(&row.phone).copied().unwrap_or(0)) == level)
    };
    let mut kept: Vec<&members::Keyed> = Vec::new();
    let mut next_key = None;
    for row in rows.iter().filter(|row| passes(row)) {
        if kept.len() as i64 == limit {
            next_key = kept.last().map(|last| last.key.clone());
            break;
        }
        kept.push(row);
    }
    if next_key.is_none() && rows.len() as i64 == scan {
        // The window was full: what lies below it is still to be read.
        let last = if kept.len() as i64 == limit { kept.last().copied() } else { rows.last() };
        next_key = last.map(|row| row.key.clone());
    }
    Ok(ListPage { phones: kept.into_iter().map(|row| row.phone.clone()).collect(), next_key })
}

fn tier_of(params: &Params, volume_fen: i64) -> Option<usize> {
    params.tier_index(Money::from_fen(volume_fen).unwrap_or(Money::ZERO))
}

/// A member's level: that of its largest live order (none without one).
fn level_of(params: &Params, largest_order_fen: i64) -> Option<usize> {
    let largest = Money::from_fen(largest_order_fen).unwrap_or(Money::ZERO);
    if largest.is_zero() { None } else { params.order_level_index(largest) }
}

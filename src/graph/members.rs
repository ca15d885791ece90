//! Members and the referral tree. Each member's team aggregates (volume split cash / points, team
//! size) live on a `Team` node of its own, which only the team fold ([`super::teams`]) and sponsor
//! changes write: an order or a registration writes its own member and marks it waiting to be
//! counted, and a read costs one node.
use std::collections::HashMap;

use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::domain::invitation::InvitationCode;
use crate::domain::member_search::MemberSearch;
use crate::domain::phone::Phone;
pub use crate::domain::team_fold::TeamDelta;

#[derive(Clone)]
pub struct NewMember {
    pub phone: Phone,
    pub sponsor: Option<Phone>,
    pub name: Option<String>,
    pub password_hash: Option<String>,
    /// Unique: a code another member has fails its constraint (a transient failure; the
    /// transaction runs again, with a new code).
    pub invitation_code: InvitationCode,
}

/// What the summary statement returns for one member; amounts in fen.
#[derive(Debug, Deserialize)]
pub struct MemberRow {
    pub phone: String,
    pub name: Option<String>,
    /// None only for a member stored before invitation codes ([`give_invitation_code_in`]).
    pub invitation_code: Option<String>,
    pub sponsor_phone: Option<String>,
    /// When the member was registered (0 for a member stored before that was kept).
    pub joined_at_ms: i64,
    pub largest_order_fen: i64,
    pub pool_fen: i64,
    pub available_fen: i64,
    pub frozen_fen: i64,
    pub own_cash_fen: i64,
    pub own_points_fen: i64,
    pub team_cash_fen: i64,
    pub team_points_fen: i64,
    pub team_size: i64,
    /// How many tier thresholds the team volume reaches: 0 is no tier, 1 the lowest tier.
    pub tier_rank: i64,
    pub direct_count: i64,
    /// When the team fold last brought the team aggregates up to date.
    pub team_as_of_ms: i64,
}

/// One member of a downline page.
#[derive(Debug, Deserialize)]
pub struct DownlineRow {
    pub phone: String,
    pub sponsor_phone: String,
    pub depth: i64,
    pub team_cash_fen: i64,
    pub team_points_fen: i64,
    pub team_size: i64,
    pub tier_rank: i64,
    pub direct_count: i64,
}

/// Where a downline page starts: after this (depth, phone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownlineCursor {
    pub depth: i64,
    pub phone: String,
}

#[derive(Deserialize)]
struct PhoneRow {
    phone: String,
}

/// Whether the scheme has its root member.
pub async fn has_root_in(txn: &mut Txn) -> GraphResult<bool> {
    Ok(txn.row::<PhoneRow>(cypher!("members/root")).await?.is_some())
}

/// Creates a member, the root when it has no sponsor; `false` when the sponsor does not exist.
/// A phone or a root another transaction took first violates its constraint (a transient
/// failure: the transaction runs again, and its checks then refuse).
pub async fn create_in(txn: &mut Txn, member: &NewMember, now_ms: i64) -> GraphResult<bool> {
    let statement = match &member.sponsor {
        None => cypher!("members/create_root"),
        Some(sponsor) => cypher!("members/create").param("sponsor_phone", sponsor.as_str()),
    };
    let created: Option<PhoneRow> = txn
        .row(
            statement
                .param("phone", member.phone.as_str())
                .param("name", member.name.clone())
                .param("password_hash", member.password_hash.clone())
                .param("invitation_code", member.invitation_code.as_str())
                .param("now_ms", now_ms),
        )
        .await?;
    Ok(created.is_some())
}

/// The phone of the member whose invitation code this is, if any.
pub async fn by_invitation_code(graph: &Graph, code: &InvitationCode) -> GraphResult<Option<String>> {
    Ok(graph.row::<PhoneRow>(cypher!("members/by_invitation_code").param("invitation_code", code.as_str())).await?.map(|r| r.phone))
}

/// Gives a member without an invitation code (stored before they existed) `code`; a member that
/// has one keeps it. Answers the member's code (None: no such member). A code another member has
/// fails its constraint (transient: the transaction runs again, with a new code).
pub async fn give_invitation_code_in(txn: &mut Txn, phone: &Phone, code: &InvitationCode) -> GraphResult<Option<String>> {
    #[derive(Deserialize)]
    struct Code {
        invitation_code: String,
    }
    let row: Option<Code> =
        txn.row(cypher!("members/give_invitation_code").param("phone", phone.as_str()).param("invitation_code", code.as_str())).await?;
    Ok(row.map(|r| r.invitation_code))
}

pub async fn exists(graph: &Graph, phone: &Phone) -> GraphResult<bool> {
    Ok(graph.row::<PhoneRow>(cypher!("members/exists").param("phone", phone.as_str())).await?.is_some())
}

pub async fn exists_in(txn: &mut Txn, phone: &str) -> GraphResult<bool> {
    Ok(txn.row::<PhoneRow>(cypher!("members/exists").param("phone", phone)).await?.is_some())
}

/// Adds `delta` to the team aggregates of every upline of `phone` (a sponsor change moves what
/// the fold has counted).
pub async fn add_to_uplines(txn: &mut Txn, phone: &str, delta: TeamDelta) -> GraphResult<()> {
    txn.run(
        cypher!("members/add_to_uplines")
            .param("phone", phone)
            .param("cash_fen", delta.cash_fen)
            .param("points_fen", delta.points_fen)
            .param("members", delta.members),
    )
    .await
}

/// One member's figures, with the tier rank against `tier_thresholds_fen` (ascending).
pub async fn summary(graph: &Graph, phone: &Phone, tier_thresholds_fen: &[i64]) -> GraphResult<Option<MemberRow>> {
    graph.row(cypher!("members/summary").param("phone", phone.as_str()).param("tier_thresholds_fen", tier_thresholds_fen.to_vec())).await
}

pub async fn summary_in(txn: &mut Txn, phone: &Phone) -> GraphResult<Option<MemberRow>> {
    txn.row(cypher!("members/summary").param("phone", phone.as_str()).param("tier_thresholds_fen", Vec::<i64>::new())).await
}

/// A page of the members below `phone` down to `depth` generations, after `cursor` (none for a
/// phone that is not a member's).
pub async fn downline(
    graph: &Graph,
    phone: &Phone,
    depth: i64,
    cursor: Option<&DownlineCursor>,
    limit: i64,
    tier_thresholds_fen: &[i64],
) -> GraphResult<Vec<DownlineRow>> {
    let (after_depth, after_phone) = cursor.map_or((0, String::new()), |c| (c.depth, c.phone.clone()));
    graph
        .rows(
            cypher!("members/downline")
                .param("phone", phone.as_str())
                .param("depth", depth)
                .param("after_depth", after_depth)
                .param("after_phone", after_phone)
                .param("limit", limit)
                .param("tier_thresholds_fen", tier_thresholds_fen.to_vec()),
        )
        .await
}

/// Same-tier uplines (nearest first) and same-tier direct referrals of a member.
pub async fn peers(graph: &Graph, phone: &Phone, tier_thresholds_fen: &[i64]) -> GraphResult<(Vec<String>, Vec<String>)> {
    let thresholds = tier_thresholds_fen.to_vec();
    let up: Vec<PhoneRow> =
        graph.rows(cypher!("members/peer_uplines").param("phone", phone.as_str()).param("tier_thresholds_fen", thresholds.clone())).await?;
    let down: Vec<PhoneRow> =
        graph.rows(cypher!("members/peer_downlines").param("phone", phone.as_str()).param("tier_thresholds_fen", thresholds)).await?;
    Ok((up.into_iter().map(|r| r.phone).collect(), down.into_iter().map(|r| r.phone).collect()))
}

/// Whether `candidate` stands in the downline of `phone`.
pub async fn is_in_downline_in(txn: &mut Txn, candidate: &Phone, phone: &Phone) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Below {
        below: bool,
    }
    let below: Option<Below> =
        txn.row(cypher!("members/is_in_downline").param("candidate", candidate.as_str()).param("phone", phone.as_str())).await?;
    Ok(below.is_some_and(|b| b.below))
}

/// Keeps a member's current sponsor as the one in force before `from_day` (a day that is settling
/// still sees it).
pub async fn keep_previous_sponsor_in(txn: &mut Txn, phone: &Phone, from_day: BusinessDay, old_sponsor: Option<&str>) -> GraphResult<()> {
    txn.run(
        cypher!("members/keep_previous_sponsor")
            .param("phone", phone.as_str())
            .param("from_day", from_day.to_string())
            .param("old_sponsor_phone", old_sponsor),
    )
    .await
}

/// Moves a member (with the tree below it) under `sponsor`, its team aggregates leaving the old
/// uplines and joining the new ones; `moved` is what it carries (its own and its team's volume,
/// its team and itself).
pub async fn move_under_in(txn: &mut Txn, phone: &Phone, sponsor: &Phone, moved: TeamDelta) -> GraphResult<()> {
    add_to_uplines(txn, phone.as_str(), moved.negated()).await?;
    txn.run(cypher!("members/detach_sponsor").param("phone", phone.as_str())).await?;
    txn.run(cypher!("members/attach_sponsor").param("phone", phone.as_str()).param("sponsor_phone", sponsor.as_str())).await?;
    add_to_uplines(txn, phone.as_str(), moved).await
}

/// Team volume of a member on a day, computed by a walk over the whole tree below it (not from the
/// maintained aggregates): the orders that start before `day` and are not refunded. Returns (cash, points) in fen.
pub async fn team_volume_on_day(graph: &Graph, phone: &Phone, day: BusinessDay) -> GraphResult<(i64, i64)> {
    #[derive(Deserialize)]
    struct Volume {
        cash_fen: i64,
        points_fen: i64,
    }
    let volume: Option<Volume> =
        graph.row(cypher!("members/team_volume_on_day").param("phone", phone.as_str()).param("day", day.to_string())).await?;
    Ok(volume.map_or((0, 0), |v| (v.cash_fen, v.points_fen)))
}

/// One member of a list (search results, a level of the tree): figures kept on its node.
#[derive(Debug, Deserialize)]
pub struct ListedMember {
    pub phone: String,
    pub name: Option<String>,
    pub joined_at_ms: i64,
    pub tier_rank: i64,
    pub team_cash_fen: i64,
    pub team_points_fen: i64,
    pub team_size: i64,
    pub direct_count: i64,
    /// What the member bought itself (cash and points), and its largest live order (its level).
    pub own_fen: i64,
    pub largest_order_fen: i64,
}

/// Phones that match a search, by phone, at most `limit`, and whether there were more.
///
/// Digits: the phones that begin or end with them, both index scans (the end through the reversed
/// phone) that stop at the limit; only when those find fewer than a page, the phones that hold
/// them in the middle, a scan of every member that also stops at the limit. A name: the members
/// whose name holds it, the same kind of scan. With more matches than the limit the page shows
/// some and asks for more of the phone or the name.
pub async fn search(graph: &Graph, search: &MemberSearch, limit: i64) -> GraphResult<Found> {
    let mut phones: Vec<String> = match search {
        MemberSearch::Digits(digits) => {
            let by_start: Vec<PhoneRow> =
                graph.rows(cypher!("members/search_prefix").param("prefix", digits.as_str()).param("limit", limit + 1)).await?;
            let reversed: String = digits.chars().rev().collect();
            let by_end: Vec<PhoneRow> =
                graph.rows(cypher!("members/search_suffix").param("reversed_suffix", reversed).param("limit", limit + 1)).await?;
            let mut phones: Vec<String> = by_start.into_iter().chain(by_end).map(|r| r.phone).collect();
            phones.sort();
            phones.dedup();
            if phones.len() as i64 <= limit {
                let within: Vec<PhoneRow> =
                    graph.rows(cypher!("members/search_infix").param("digits", digits.as_str()).param("limit", limit + 1)).await?;
                phones.extend(within.into_iter().map(|r| r.phone));
            }
            phones
        }
        MemberSearch::Name(name) => {
            let named: Vec<PhoneRow> =
                graph.rows(cypher!("members/search_name").param("name", name.as_str()).param("limit", limit + 1)).await?;
            named.into_iter().map(|r| r.phone).collect()
        }
    };
    phones.sort();
    phones.dedup();
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = phones.len() > limit;
    phones.truncate(limit);
    Ok(Found { phones, more })
}

/// What a search found.
pub struct Found {
    pub phones: Vec<String>,
    /// More members match than were returned.
    pub more: bool,
}

/// The two orders of the member list, each kept by an index on a key of its own: `volume_key` on
/// the team (its volume in fen, 16 digits, then the phone; the team fold keeps it) and
/// `joined_key` on the member (`created_at_ms`, 13 digits, then the phone). Both read from the
/// largest key down, so a page is an index range scan that stops at its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOrder {
    /// The largest team volume first (equal volumes by phone, descending).
    TeamVolume,
    /// The newest member first.
    Joined,
}

/// Above every key of either order: where a list begins.
pub const KEY_CEILING: &str = "~";

/// The least volume key of a team volume: every team with that volume or more has a key at least this.
pub fn volume_key_floor(volume_fen: i64) -> String {
    format!("{volume_fen:016}")
}

/// One member of the list as its order reads it.
#[derive(Debug, Deserialize)]
pub struct Keyed {
    pub key: String,
    pub phone: String,
    pub volume_fen: i64,
}

/// Up to `limit` members in `order` whose key is below `before_key` (and, in team-volume order, at
/// least `from_key`), the largest key first.
///
/// The database reads a range of the index in full before it sorts (it does not walk the index
/// from its top), so a page reads a range just below `before_key` that holds the page and little
/// more: in joined order, down to the least of the keys a probe of the descending index finds
/// (it reads in index order and stops at its limit); in team-volume order (kept by the team fold,
/// with no descending twin), ranges about ten times wider each time until one holds `limit`
/// members or reaches `from_key`. Any floor gives the same page: a range that holds `limit`
/// members holds the largest `limit` below `before_key`.
pub async fn in_order(graph: &Graph, order: ListOrder, before_key: &str, from_key: &str, limit: i64) -> GraphResult<Vec<Keyed>> {
    let floors = match order {
        ListOrder::TeamVolume => volume_floors(before_key),
        ListOrder::Joined => joined_floor(graph, before_key, limit).await?.into_iter().collect(),
    };
    for floor in floors {
        if floor.as_str() <= from_key {
            break;
        }
        let rows = read_range(graph, order, &floor, before_key, limit).await?;
        if rows.len() as i64 >= limit {
            return Ok(rows);
        }
    }
    read_range(graph, order, from_key, before_key, limit).await
}

/// Up to `limit` members in `order` with a key in `[floor, before_key)`, the largest first.
async fn read_range(graph: &Graph, order: ListOrder, floor: &str, before_key: &str, limit: i64) -> GraphResult<Vec<Keyed>> {
    let range = |query: neo4rs::Query| query.param("from_key", floor).param("before_key", before_key).param("limit", limit);
    match order {
        ListOrder::TeamVolume => graph.rows(range(cypher!("members/by_volume"))).await,
        ListOrder::Joined => with_volumes(graph, graph.rows(range(cypher!("members/by_joined"))).await?).await,
    }
}

/// Joined-order rows with their team volumes.
async fn with_volumes(graph: &Graph, rows: Vec<KeyedPhone>) -> GraphResult<Vec<Keyed>> {
    #[derive(Deserialize)]
    struct Volume {
        phone: String,
        volume_fen: i64,
    }
    let phones: Vec<String> = rows.iter().map(|r| r.phone.clone()).collect();
    let volumes: Vec<Volume> = graph.rows(cypher!("teams/volumes_of").param("phones", phones)).await?;
    let volumes: HashMap<String, i64> = volumes.into_iter().map(|v| (v.phone, v.volume_fen)).collect();
    rows.into_iter()
        .map(|r| {
            let volume_fen = *volumes.get(&r.phone).ok_or_else(|| GraphError::Corrupt(format!("member {} has no team node", r.phone)))?;
            Ok(Keyed { key: r.key, phone: r.phone, volume_fen })
        })
        .collect()
}

/// A member of the list by its key, before its team volume is read.
#[derive(Deserialize)]
struct KeyedPhone {
    key: String,
    phone: String,
}

/// The least joined key of `limit` members who joined before `before_key`, found by the probe;
/// `None` when fewer are left (or the cursor is no joined key): the page then reads the rest.
async fn joined_floor(graph: &Graph, before_key: &str, limit: i64) -> GraphResult<Option<String>> {
    #[derive(Deserialize)]
    struct Probed {
        key: String,
    }
    let after_desc = match before_key {
        KEY_CEILING => String::new(),
        key => match descending_key(key) {
            Some(desc) => desc,
            None => return Ok(None),
        },
    };
    let probed: Vec<Probed> = graph.rows(cypher!("members/joined_probe").param("after_desc", after_desc).param("limit", limit)).await?;
    Ok(if probed.len() as i64 >= limit { probed.into_iter().map(|p| p.key).min() } else { None })
}

/// A joined key's descending twin, `joined_desc`: every digit taken from 9 (as the Cypher that
/// writes it does), so that ascending twins are keys descending; `None` for anything but digits.
pub fn descending_key(key: &str) -> Option<String> {
    key.bytes().all(|b| b.is_ascii_digit()).then(|| key.bytes().map(|b| char::from(b'9' - (b - b'0'))).collect())
}

/// The floors [`in_order`] tries below `before_key` in team-volume order, narrowest first (the
/// last is the whole rest of the list, read by the caller). Below a key: its prefixes less one in
/// their last digit (so a range is a whole window below the key, `…0499` for `…0500`), shorter by
/// two digits within the phone that ends every key (phones are spread evenly) and by one within
/// the volume before it (which bunches). From the top of the list: volumes from 10^15 fen down, a
/// decade at a time.
fn volume_floors(before_key: &str) -> Vec<String> {
    const PHONE: usize = 11;
    match before_key {
        KEY_CEILING => (0..16).map(|zeros| format!("{}1", "0".repeat(zeros))).collect(),
        key if key.bytes().all(|b| b.is_ascii_digit()) => {
            let head = key.len().saturating_sub(PHONE);
            let within_phone = (head + 1..key.len().saturating_sub(1)).rev().step_by(2);
            within_phone.chain((1..=head).rev()).filter_map(|len| one_less(&key[..len])).collect()
        }
        _ => Vec::new(),
    }
}

/// The digit string one less, of the same length (`0500` → `0499`); `None` for all zeros.
fn one_less(digits: &str) -> Option<String> {
    let mut bytes = digits.as_bytes().to_vec();
    let last_nonzero = bytes.iter().rposition(|&b| b != b'0')?;
    bytes[last_nonzero] -= 1;
    bytes[last_nonzero + 1..].fill(b'9');
    String::from_utf8(bytes).ok()
}

/// The largest live order of each of these members in fen (0 without one): their level.
pub async fn largest_orders(graph: &Graph, phones: &[String]) -> GraphResult<HashMap<String, i64>> {
    #[derive(Deserialize)]
    struct Largest {
        phone: String,
        largest_order_fen: i64,
    }
    let rows: Vec<Largest> = graph.rows(cypher!("members/largest_orders").param("phones", phones.to_vec())).await?;
    Ok(rows.into_iter().map(|r| (r.phone, r.largest_order_fen)).collect())
}

/// Gives teams and members stored before the member list their list keys and the team nodes their
/// member's name for the search (each a scan for what is missing: after the first start it finds none).
pub async fn backfill_list_keys(graph: &Graph) -> GraphResult<()> {
    graph.run(cypher!("teams/backfill_volume_keys")).await?;
    graph.run(cypher!("teams/backfill_names")).await?;
    graph.run(cypher!("members/backfill_joined_keys")).await?;
    graph.run(cypher!("members/backfill_joined_desc")).await
}

/// The list figures of these members, by phone.
pub async fn listing(graph: &Graph, phones: &[String], tier_thresholds_fen: &[i64]) -> GraphResult<Vec<ListedMember>> {
    graph.rows(cypher!("members/listing").param("phones", phones.to_vec()).param("tier_thresholds_fen", tier_thresholds_fen.to_vec())).await
}

/// A page of `phone`'s direct referrals, the largest team volume first, after `(team volume, phone)`.
pub async fn children(
    graph: &Graph,
    phone: &Phone,
    after: Option<(i64, String)>,
    limit: i64,
    tier_thresholds_fen: &[i64],
) -> GraphResult<Vec<ListedMember>> {
    let (after_volume_fen, after_phone) = after.map_or((None, None), |(volume, phone)| (Some(volume), Some(phone)));
    graph
        .rows(
            cypher!("members/children")
                .param("phone", phone.as_str())
                .param("after_volume_fen", after_volume_fen)
                .param("after_phone", after_phone)
                .param("limit", limit)
                .param("tier_thresholds_fen", tier_thresholds_fen.to_vec()),
        )
        .await
}

#[derive(Debug, Deserialize)]
pub struct Upline {
    pub phone: String,
    pub generation: i64,
    pub tier_rank: i64,
}

/// A member's uplines, nearest first, at most `limit`.
pub async fn uplines(graph: &Graph, phone: &Phone, limit: i64, tier_thresholds_fen: &[i64]) -> GraphResult<Vec<Upline>> {
    graph
        .rows(
            cypher!("members/uplines")
                .param("phone", phone.as_str())
                .param("limit", limit)
                .param("tier_thresholds_fen", tier_thresholds_fen.to_vec()),
        )
        .await
}

/// Sets the reversed phone (the index of the search by last digits) on members stored before it existed.
pub async fn backfill_phone_reversed(graph: &Graph) -> GraphResult<()> {
    graph.run(cypher!("members/backfill_phone_reversed")).await
}

/// Members per statement of the invitation code backfill.
pub const BACKFILL_BATCH: i64 = 10_000;

/// Gives every member stored before invitation codes existed a new random one, in batches of
/// [`BACKFILL_BATCH`] (each its own auto-commit statement, so a million members are a hundred
/// short writes), then marks the backfill done, so that later starts cost one lookup instead of a
/// scan of every member. Idempotent, and safe beside servers that are running: a member that got
/// a code meanwhile keeps it, and one that an older server creates after the mark gets its code
/// when it is first read (`app::members::invitation_code`). A batch whose new code another
/// member has fails its constraint as a whole and is drawn again. Returns how many members got a code.
pub async fn backfill_invitation_codes(graph: &Graph) -> GraphResult<u64> {
    #[derive(Deserialize)]
    struct Mark {
        #[allow(dead_code)]
        name: String,
    }
    #[derive(serde::Serialize)]
    struct CodeRow {
        phone: String,
        invitation_code: String,
    }
    #[derive(Deserialize)]
    struct Updated {
        updated: i64,
    }
    if graph.row::<Mark>(cypher!("members/invitation_codes_backfilled")).await?.is_some() {
        return Ok(0);
    }
    let (mut given, mut idle) = (0u64, 0);
    loop {
        let phones: Vec<PhoneRow> = graph.rows(cypher!("members/without_invitation_code").param("limit", BACKFILL_BATCH)).await?;
        if phones.is_empty() {
            break;
        }
        let mut tries = 0;
        let updated = loop {
            let rows: Vec<CodeRow> = phones
                .iter()
                .map(|p| CodeRow { phone: p.phone.clone(), invitation_code: InvitationCode::generate().as_str().to_string() })
                .collect();
            match graph.row::<Updated>(cypher!("members/set_invitation_codes").param("rows", super::bolt_rows(&rows)?)).await {
                Ok(updated) => break updated.map_or(0, |u| u.updated),
                Err(error) if error.is_constraint_violation() && tries < 5 => tries += 1,
                Err(error) => return Err(error),
            }
        };
        given += u64::try_from(updated).unwrap_or(0);
        tracing::info!(given, "invitation codes given to members stored before them");
        // A batch that every member left (another server gave them codes meanwhile) is read
        // again; one that stays stuck is a fault, not a reason to loop for ever.
        idle = if updated == 0 { idle + 1 } else { 0 };
        if idle >= 3 {
            return Err(super::GraphError::Corrupt("the invitation code backfill makes no progress".into()));
        }
        if phones.len() < BACKFILL_BATCH as usize && updated as usize == phones.len() {
            break;
        }
    }
    graph.row::<Mark>(cypher!("members/mark_invitation_codes_backfilled")).await?;
    Ok(given)
}

/// The phone of the scheme's root member, if it has one.
pub async fn root(graph: &Graph) -> GraphResult<Option<String>> {
    Ok(graph.row::<PhoneRow>(cypher!("members/root")).await?.map(|r| r.phone))
}

/// The stored password hash of a member: `None` when there is no such member, `Some(None)` when
/// the member has no password yet (registered without one).
pub async fn password_hash(graph: &Graph, phone: &Phone) -> GraphResult<Option<Option<String>>> {
    #[derive(Deserialize)]
    struct Hash {
        phone: String,
        password_hash: Option<String>,
    }
    let row: Option<Hash> = graph.row(cypher!("members/password_hash").param("phone", phone.as_str())).await?;
    match row {
        // Defence in depth: another member's password must never be checked as this one's.
        Some(row) if row.phone != phone.as_str() => {
            tracing::error!("a password lookup answered another member's row; refused");
            Ok(None)
        }
        row => Ok(row.map(|r| r.password_hash)),
    }
}

/// Sets a member's password hash and ends all of the member's sessions, in one statement; returns
/// how many sessions ended (`None`: no such member).
pub async fn set_password_in(txn: &mut Txn, phone: &Phone, password_hash: &str) -> GraphResult<Option<i64>> {
    #[derive(Deserialize)]
    struct Ended {
        sessions_ended: i64,
    }
    let row: Option<Ended> =
        txn.row(cypher!("members/set_password").param("phone", phone.as_str()).param("password_hash", password_hash)).await?;
    Ok(row.map(|r| r.sessions_ended))
}

/// One member of the portal's team list: what its node keeps, and how many generations below.
#[derive(Debug, Deserialize)]
pub struct TeamRow {
    pub phone: String,
    pub depth: i64,
    pub team_cash_fen: i64,
    pub team_points_fen: i64,
    pub team_size: i64,
    pub tier_rank: i64,
    pub direct_count: i64,
}

/// The generations below a member that the portal lists (each listed member's team figures cover
/// everything below it): one query over this neighbourhood, whatever the size of the whole team.
pub const TEAM_GENERATIONS: i64 = 3;

/// One page of the members down to [`TEAM_GENERATIONS`] below `phone` (of one generation when
/// given), by generation then phone, from position `skip`.
pub async fn team_page(
    graph: &Graph,
    phone: &Phone,
    generation: Option<i64>,
    skip: i64,
    limit: i64,
    tier_thresholds_fen: &[i64],
) -> GraphResult<Vec<TeamRow>> {
    graph
        .rows(
            cypher!("members/team_page")
                .param("phone", phone.as_str())
                .param("generation", generation)
                .param("skip", skip)
                .param("limit", limit)
                .param("tier_thresholds_fen", tier_thresholds_fen.to_vec()),
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floors_below_a_key_are_whole_windows_widening_through_its_phone_two_digits_at_a_time_then_one() {
        let key = format!("{}{}", volume_key_floor(1_200), "13812345678");
        let floors = volume_floors(&key);
        assert_eq!(floors[..3], ["0000000000001200138123455", "00000000000012001381233", "000000000000120013811"]);
        assert_eq!(floors[5..8], ["0000000000001199", "000000000000119", "00000000000011"]);
        assert_eq!(floors.last().map(String::as_str), Some("0000000000000"), "then the prefixes of zeros are left out");
        assert!(floors.windows(2).all(|w| w[0] > w[1] && key.as_str() > w[0].as_str()), "narrowest first, all below the key");
        let tier_floor = volume_floors(&volume_key_floor(5_000_000));
        assert_eq!(tier_floor[..3], ["00000000049999", "000000000499", "0000000004"], "a window below, not nothing");
        assert!(volume_floors("13800000000é").is_empty(), "a cursor that is no key reads the whole rest");
    }

    #[test]
    fn from_the_top_the_floors_step_down_by_decades_of_volume() {
        let floors = volume_floors(KEY_CEILING);
        assert_eq!((floors.len(), floors[0].as_str(), floors[15].as_str()), (16, "1", "0000000000000001"));
    }

    #[test]
    fn the_descending_twin_of_keys_orders_them_the_other_way() {
        let (older, newer) = ("176400000000013800000002", "176400000000113800000001");
        let (older_desc, newer_desc) = (descending_key(older).unwrap(), descending_key(newer).unwrap());
        assert_eq!(newer_desc, "823599999999886199999998");
        assert!(newer_desc < older_desc && older < newer);
        assert_eq!(descending_key("17640~"), None);
    }

    #[test]
    fn one_less_borrows_and_keeps_the_length() {
        assert_eq!(one_less("0500").as_deref(), Some("0499"));
        assert_eq!(one_less("1").as_deref(), Some("0"));
        assert_eq!(one_less("000"), None);
    }
}

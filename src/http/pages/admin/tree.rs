//! The downline tree browser. It starts at any member (the root by default); each member's
//! referrals come the largest team volume first, each with its tier, level, own purchases and
//! team figures. The state of the view is in the link (`open`: the expanded members, each with the page of its referrals it
//! shows), so it works without JavaScript. Every expanded member costs one bounded query for one
//! page of its direct referrals, whatever the size of the network.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::members::Listed;
use crate::domain::phone::Phone;
use crate::graph::members;
use crate::http::AppState;
use crate::http::api::ParamsInForce;
use crate::http::pages::format::filters;
use crate::http::pages::{Admin, Chrome, PageResult, html, urlencode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tree", web::get().to(page));
}

/// Direct referrals shown per page of an expanded member.
const PAGE: i64 = 50;
/// Expanded members one view keeps (each is one query).
const MAX_OPEN: usize = 40;

/// An expanded member and the referral after which its page of referrals starts (its team
/// volume in fen and phone; none for the first page): referrals come the largest team first.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Open {
    phone: String,
    after: Option<(i64, String)>,
}

/// Reads `open` (`phone` or `phone:VOLUME_PHONE`, comma-separated); entries that do not read are dropped.
fn parse_open(text: &str) -> Vec<Open> {
    text.split(',')
        .filter_map(|entry| {
            let (phone, after) = entry.split_once(':').unwrap_or((entry, ""));
            let phone = Phone::parse(phone).ok()?;
            let after = match after {
                "" => None,
                after => {
                    let (volume, after_phone) = after.split_once('_')?;
                    Some((volume.parse::<i64>().ok().filter(|v| *v >= 0)?, Phone::parse(after_phone).ok()?.to_string()))
                }
            };
            Some(Open { phone: phone.to_string(), after })
        })
        .take(MAX_OPEN)
        .collect()
}

fn write_open(open: &[Open]) -> String {
    let entry = |o: &Open| match &o.after {
        None => o.phone.clone(),
        Some((volume, phone)) => format!("{}:{volume}_{phone}", o.phone),
    };
    open.iter().map(entry).collect::<Vec<_>>().join(",")
}

/// One line of the view: a member, or the link to the next page of a member's referrals.
pub struct Line {
    depth: usize,
    member: Option<Listed>,
    expanded: bool,
    /// Where the line's link goes: expand, collapse or the next page.
    href: String,
}

#[derive(Template)]
#[template(path = "admin/tree.html")]
struct TreePage {
    chrome: Chrome,
    start: String,
    lines: Vec<Line>,
    missing: bool,
}

#[derive(Deserialize)]
pub struct TreeQuery {
    phone: Option<String>,
    open: Option<String>,
}

enum Pending {
    Member(Listed, usize),
    NextPage { parent: String, after: (i64, String), depth: usize },
}

pub async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<TreeQuery>) -> PageResult {
    let chrome = Chrome::of(&admin, "tree", &req);
    let start = match query.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(text) => Some(Phone::parse(text).map_err(|e| admin.refused(e))?.to_string()),
        None => members::root(&state.graph).await.map_err(|e| admin.refused(e))?,
    };
    let Some(start) = start else {
        return html(StatusCode::OK, &TreePage { chrome, start: String::new(), lines: Vec::new(), missing: false });
    };
    let params = ParamsInForce::today(&state).await.map_err(|e| admin.refused(e))?;
    let thresholds = params.tier_thresholds_fen();
    let open = parse_open(query.open.as_deref().unwrap_or(""));
    let link = |open: &[Open]| format!("/admin/tree?phone={}&open={}", urlencode(&start), urlencode(&write_open(open)));

    let first = members::listing(&state.graph, std::slice::from_ref(&start), &thresholds).await.map_err(|e| admin.refused(e))?;
    let Some(first) = first.into_iter().next() else {
        return html(StatusCode::NOT_FOUND, &TreePage { chrome, start, lines: Vec::new(), missing: true });
    };
    let mut lines = Vec::new();
    let mut pending = vec![Pending::Member(Listed::of(first, &params, state.tz), 0)];
    while let Some(item) = pending.pop() {
        match item {
            Pending::Member(member, depth) => {
                let expansion = open.iter().find(|o| o.phone == member.phone).cloned();
                let href = match &expansion {
                    Some(_) => link(&open.iter().filter(|o| o.phone != member.phone).cloned().collect::<Vec<_>>()),
                    None => {
                        let mut more = open.clone();
                        more.push(Open { phone: member.phone.clone(), after: None });
                        link(&more)
                    }
                };
                if let Some(expansion) = &expansion {
                    let mut children = members::children(
                        &state.graph,
                        &Phone::parse(&member.phone).map_err(|e| admin.refused(e))?,
                        expansion.after.clone(),
                        PAGE + 1,
                        &thresholds,
                    )
                    .await
                    .map_err(|e| admin.refused(e))?;
                    if children.len() as i64 > PAGE {
                        children.truncate(PAGE as usize);
                        let after = children.last().map(|c| (c.team_cash_fen + c.team_points_fen, c.phone.clone())).unwrap_or_default();
                        pending.push(Pending::NextPage { parent: member.phone.clone(), after, depth: depth + 1 });
                    }
                    pending.extend(children.into_iter().rev().map(|c| Pending::Member(Listed::of(c, &params, state.tz), depth + 1)));
                }
                lines.push(Line { depth, expanded: expansion.is_some(), member: Some(member), href });
            }
            Pending::NextPage { parent, after, depth } => {
                let paged: Vec<Open> = open
                    .iter()
                    .map(|o| if o.phone == parent { Open { phone: parent.clone(), after: Some(after.clone()) } } else { o.clone() })
                    .collect();
                lines.push(Line { depth, member: None, expanded: false, href: link(&paged) });
            }
        }
    }
    html(StatusCode::OK, &TreePage { chrome, start, lines, missing: false })
}

#[cfg(test)]
mod tests {
    use super::{Open, parse_open, write_open};

    #[test]
    fn the_open_list_reads_back_what_it_wrote_and_drops_what_is_not_a_phone() {
        let open = vec![
            Open { phone: "13800000001".into(), after: None },
            Open { phone: "13800000002".into(), after: Some((360000, "13900000050".into())) },
        ];
        assert_eq!(parse_open(&write_open(&open)), open);
        assert_eq!(
            parse_open("13800000001,x' OR 1=1,12345,13800000002:nope,13800000003:-5_13900000050,13800000004:5_1"),
            vec![open[0].clone()]
        );
    }
}

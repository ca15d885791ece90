//! The page tests' browser plumbing: a reply as a browser sees it (redirects looked at rather than
//! followed), a client that sends exactly the cookies a test gives it, and reading a page's inputs.
use reqwest::redirect::Policy;
use serde_json::Value;

use crate::helpers::TestApp;

/// One HTTP exchange.
pub struct Reply {
    pub status: u16,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Reply {
    /// Sends a request (from a client that does not follow redirects) and reads the reply.
    pub async fn of(request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers();
        let location = headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let set_cookies = headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
        Reply { status, location, set_cookies, body: response.text().await.unwrap() }
    }

    /// The value a `Set-Cookie` of this reply gives `name`, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookie(name).map(|line| line[name.len() + 1..].split(';').next().unwrap_or("").to_string())
    }

    /// The whole `Set-Cookie` line for `name`.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        self.set_cookies.iter().map(String::as_str).find(|c| c.starts_with(&format!("{name}=")))
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// A client that does not follow redirects (and keeps no cookies unless built to).
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().redirect(Policy::none())
}

/// A browser with its cookies handled by hand, so that a test sends exactly the ones it means.
pub struct Http {
    client: reqwest::Client,
    base: String,
}

enum Body<'a> {
    None,
    Form(&'a [(&'a str, &'a str)]),
    Json(&'a Value),
}

impl Http {
    pub fn new(app: &TestApp) -> Http {
        Http { client: client_builder().build().unwrap(), base: app.address.clone() }
    }

    async fn send(&self, method: reqwest::Method, path: &str, cookies: &[(&str, &str)], body: Body<'_>) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if !cookies.is_empty() {
            let header = cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ");
            request = request.header(reqwest::header::COOKIE, header);
        }
        request = match body {
            Body::None => request,
            Body::Form(form) => request.form(form),
            Body::Json(value) => request.json(value),
        };
        Reply::of(request).await
    }

    pub async fn get(&self, path: &str, cookies: &[(&str, &str)]) -> Reply {
        self.send(reqwest::Method::GET, path, cookies, Body::None).await
    }

    pub async fn post(&self, path: &str, cookies: &[(&str, &str)], form: &[(&str, &str)]) -> Reply {
        self.send(reqwest::Method::POST, path, cookies, Body::Form(form)).await
    }

    /// Posts JSON to `/api/v1{path}`.
    pub async fn api(&self, path: &str, cookies: &[(&str, &str)], body: Value) -> Reply {
        self.send(reqwest::Method::POST, &format!("/api/v1{path}"), cookies, Body::Json(&body)).await
    }
}

/// The value of the first `<input … name="NAME" … value="…">` in a page (attributes as the
/// templates write them).
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(r#"name="{name}""#))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let value = tag.find(r#"value=""#)? + r#"value=""#.len();
    Some(tag[value..].split('"').next()?.to_string())
}

/// The text a reader sees on a page: what is between its tags, outside scripts and styles, and
/// outside links that declare a language of their own (the switch to the other language).
pub fn visible_text(html: &str) -> String {
    let mut rest = html;
    let mut text = String::new();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let Some(close) = tag.find('>') else { break };
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|start| tag.starts_with(**start))
            .map(|start| format!("</{}>", &start[1..]))
            .or_else(|| (tag.starts_with("<a ") && tag[..close].contains(" lang=")).then(|| "</a>".to_string()));
        rest = match skip_to.and_then(|end| tag.find(&end).map(|at| at + end.len())) {
            Some(after) => &tag[after..],
            None => &tag[close + 1..],
        };
    }
    text.push_str(rest);
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// The words of `text` (runs of ASCII letters, digits and `_ . : -`) that are one of `codes`.
pub fn codes_in<'c>(text: &str, codes: &[&'c str]) -> Vec<&'c str> {
    let words: std::collections::BTreeSet<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || "_.:-".contains(c)))
        .map(|word| word.trim_end_matches(['.', ':', '-']))
        .collect();
    codes.iter().copied().filter(|code| words.contains(code) || (code.ends_with(':') && text.contains(code))).collect()
}

/// The characters of `text` that an English page must not show: Chinese characters and
/// full-width punctuation.
pub fn chinese_in(text: &str) -> String {
    text.chars().filter(|&c| matches!(c, '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')).collect()
}

/// The stored codes and field names no page may show as they are: audit actions, scopes, roles,
/// statuses, actors' prefixes, parameter fields.
pub fn raw_codes() -> Vec<&'static str> {
    use greenpoints::domain::{audit::AuditAction, role::Role, scope::Scope, withdrawal::WithdrawalStatus};
    let mut codes: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    codes.extend(Scope::ALL.iter().map(|s| s.as_str()).filter(|s| *s != "admin"));
    codes.extend(Role::ALL.iter().map(|r| r.as_str()));
    codes.extend(WithdrawalStatus::ALL.iter().map(|s| s.as_str()));
    codes.extend(["admin:", "api_key:", "member:", "cli", "settled", "running", "reset", "change", "register"]);
    codes.extend([
        "effective_from",
        "order_levels",
        "release_rate",
        "share_rates",
        "team_tiers",
        "peer_rate",
        "peer_generations",
        "team_max_depth",
        "hold_days",
        "points_usage_ratio",
        "withdrawal_min",
        "withdrawal_fee_rate",
    ]);
    codes
}

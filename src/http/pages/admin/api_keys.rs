//! API keys: every key with its scopes, a form that creates one (its secret shown this once, as
//! `greenpoints api-key create` prints it) and a button that revokes a live key.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::login::NoFields;
use crate::app;
use crate::domain::name::Name;
use crate::domain::role::Permission;
use crate::domain::scope::Scope;
use crate::graph::api_keys;
use crate::http::AppState;
use crate::http::pages::format::{self, local_time};
use crate::http::pages::{Admin, AdminForm, Chrome, PageResult, html, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api-keys", web::get().to(page))
        .route("/api-keys", web::post().to(create))
        .route("/api-keys/{id}/revoke", web::post().to(revoke));
}

struct KeyLine {
    id: String,
    /// What the audit log and the parameters' history show of the id.
    short_id: String,
    name: String,
    /// What each scope lets the key do (None for a scope this version does not know), and its code.
    scopes: Vec<(Option<&'static str>, String)>,
    created_at: String,
    /// When it was revoked; None while it is live.
    revoked_at: Option<String>,
}

/// The create form as typed, with the stable codes of its refusals.
#[derive(Default)]
struct CreateForm {
    name: String,
    scopes: Vec<String>,
    name_refused: Option<&'static str>,
    scope_refused: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "admin/api_keys.html")]
struct ApiKeysPage {
    chrome: Chrome,
    keys: Vec<KeyLine>,
    /// Every scope there is (its code and what it lets a key do), with whether the form has it ticked.
    scopes: Vec<(&'static str, &'static str, bool)>,
    form: CreateForm,
    /// A key just created: its secret, shown this once.
    new_key: Option<String>,
    revoked: bool,
}

/// What the page shows above the keys.
enum Shown {
    Keys,
    Refused(CreateForm),
    /// A key just created, with its secret.
    Created(String),
    Revoked,
}

async fn render(state: &AppState, admin: &Admin, req: &HttpRequest, status: StatusCode, shown: Shown) -> PageResult {
    let t = admin.t();
    let keys = api_keys::list(&state.graph)
        .await
        .map_err(|e| admin.refused(e))?
        .into_iter()
        .map(|k| KeyLine {
            scopes: k.scopes.into_iter().map(|code| (code.parse().ok().map(|scope| t.scope(scope)), code)).collect(),
            created_at: local_time(k.created_at_ms, state.tz, false),
            revoked_at: k.revoked_at_ms.map(|ms| local_time(ms, state.tz, false)),
            short_id: format::short_key_id(&k.id).to_string(),
            id: k.id,
            name: k.name,
        })
        .collect();
    let revoked = matches!(shown, Shown::Revoked);
    let (form, new_key) = match shown {
        Shown::Refused(form) => (form, None),
        Shown::Created(secret) => (CreateForm::default(), Some(secret)),
        Shown::Keys | Shown::Revoked => (CreateForm::default(), None),
    };
    let scopes = Scope::ALL.iter().map(|&s| (s.as_str(), t.scope(s), form.scopes.iter().any(|ticked| ticked == s.as_str()))).collect();
    let page = ApiKeysPage { chrome: Chrome::of(admin, "api_keys", req), keys, scopes, form, new_key, revoked };
    html(status, &page)
}

#[derive(Deserialize)]
struct PageQuery {
    done: Option<String>,
}

async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<PageQuery>) -> PageResult {
    admin.require(Permission::ManageApiKeys)?;
    let shown = if query.done.as_deref() == Some("revoke") { Shown::Revoked } else { Shown::Keys };
    render(&state, &admin, &req, StatusCode::OK, shown).await
}

/// Creates a key as the command line does and shows its secret once (no redirect: the secret is
/// never stored, so no later page could show it).
async fn create(state: web::Data<AppState>, req: HttpRequest, form: AdminForm<Vec<(String, String)>>) -> PageResult {
    let admin = form.signed_in;
    admin.require(Permission::ManageApiKeys)?;
    // Checkboxes send the same name once per ticked box.
    let mut typed = CreateForm::default();
    for (field, value) in form.fields {
        match field.as_str() {
            "name" => typed.name = value,
            "scope" => typed.scopes.push(value),
            _ => {}
        }
    }
    let name = Name::parse(&typed.name).ok();
    if name.is_none() {
        typed.name_refused = Some("invalid_name");
    }
    // Every ticked scope must be one there is; the key gets them once each, in the usual order.
    let ticked: Option<Vec<Scope>> = typed.scopes.iter().map(|s| s.parse().ok()).collect();
    let scopes = ticked.map(|ticked| Scope::ALL.into_iter().filter(|s| ticked.contains(s)).collect::<Vec<_>>()).filter(|s| !s.is_empty());
    if scopes.is_none() {
        typed.scope_refused = Some("invalid_scope");
    }
    let (Some(name), Some(scopes)) = (name, scopes) else {
        return render(&state, &admin, &req, StatusCode::UNPROCESSABLE_ENTITY, Shown::Refused(typed)).await;
    };
    let actor = admin.actor();
    let created = app::api_keys::create(&state, &actor, &name, &scopes).await.map_err(|e| admin.refused(e))?;
    render(&state, &admin, &req, StatusCode::OK, Shown::Created(created.secret)).await
}

async fn revoke(state: web::Data<AppState>, path: web::Path<String>, form: AdminForm<NoFields>) -> PageResult {
    let admin = form.signed_in;
    admin.require(Permission::ManageApiKeys)?;
    let actor = admin.actor();
    app::api_keys::revoke(&state, &actor, &path).await.map_err(|e| admin.refused(e))?;
    Ok(see_other("/admin/api-keys?done=revoke"))
}

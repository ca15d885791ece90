//! What every answer carries, whatever answered it: the security headers, `no-store` unless the
//! answer says otherwise, and, behind https, cookies that only this host over https can set or
//! read (`__Host-` names, `Secure`).
use actix_web::body::EitherBody;
use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::web;

use super::AppState;

/// Pages and scripts from this site only, never in a frame of another; no type sniffing; the
/// address of a page is told to this site only; nothing kept in caches unless an answer allows it
/// (every answer about a member is personal).
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::CACHE_CONTROL, "no-store"))
}

/// The prefix of the cookies behind https: the browser keeps such a cookie only if it came over
/// https from this very host, for the whole site, so no other host (a sibling subdomain) can
/// plant one.
const HOST_PREFIX: &str = "__Host-";

/// Whether the site is served over https (`GREENPOINTS_PUBLIC_URL`).
fn behind_https(req: &ServiceRequest) -> bool {
    req.app_data::<web::Data<AppState>>().and_then(|state| state.public_url.as_deref()).is_some_and(|url| url.starts_with("https://"))
}

/// Behind https, the handlers keep naming their cookies plainly (`gp_admin`) while the browser
/// holds `__Host-gp_admin`, marked `Secure`: the request's prefixed cookies are handed on without
/// the prefix, and any unprefixed one (which a sibling host could have set) is dropped; the
/// answer's cookies get the prefix and `Secure`.
pub fn host_only_cookies<S, B>(
    mut req: ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let secure = behind_https(&req);
    if secure {
        let kept: Vec<String> = req
            .headers()
            .get_all(header::COOKIE)
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().strip_prefix(HOST_PREFIX).map(str::to_string))
            .collect();
        let headers = req.headers_mut();
        headers.remove(header::COOKIE);
        if let Ok(value) = HeaderValue::from_str(&kept.join("; ")) {
            headers.insert(header::COOKIE, value);
        }
    }
    let answer = service.call(req);
    async move {
        let mut response = answer.await?;
        if secure {
            let renamed: Vec<HeaderValue> = response
                .headers()
                .get_all(header::SET_COOKIE)
                .filter_map(|value| value.to_str().ok())
                .filter_map(|value| Cookie::parse(value.to_string()).ok())
                .filter_map(|mut cookie| {
                    cookie.set_name(format!("{HOST_PREFIX}{}", cookie.name()));
                    cookie.set_secure(true);
                    cookie.unset_domain();
                    cookie.set_path("/");
                    HeaderValue::from_str(&cookie.to_string()).ok()
                })
                .collect();
            let headers = response.headers_mut();
            headers.remove(header::SET_COOKIE);
            for value in renamed {
                headers.append(HeaderName::from_static("set-cookie"), value);
            }
        }
        Ok(response)
    }
}

/// The origin this site is served from: the public URL when it is set, else the scheme and host
/// the request came to.
fn own_origin(req: &ServiceRequest) -> String {
    match req.app_data::<web::Data<AppState>>().and_then(|state| state.public_url.clone()) {
        Some(url) => url,
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// Whether a request that changes something was sent by a page of another site: its browser
/// says so (`Origin` naming another origin, or `Sec-Fetch-Site: cross-site`). Requests without
/// either (the mall's servers, command-line clients) are judged by their credentials alone.
fn from_another_site(req: &ServiceRequest) -> bool {
    if req.method().is_safe() {
        return false;
    }
    let origin = req.headers().get(header::ORIGIN).map(|value| value.to_str().unwrap_or("null"));
    let cross_site = req.headers().get("sec-fetch-site").is_some_and(|value| value.as_bytes() == b"cross-site");
    cross_site || origin.is_some_and(|origin| origin != own_origin(req))
}

/// Refuses (403 `forbidden`) a form or a call that another site's page made the browser send,
/// before it reaches a handler: the CSRF tokens and `SameSite=Strict` cookies are the first
/// guard, this the second.
pub fn same_origin_writes<S, B>(
    req: ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    enum Next<F> {
        Call(F),
        Refuse(ServiceRequest),
    }
    let next = if from_another_site(&req) { Next::Refuse(req) } else { Next::Call(service.call(req)) };
    async move {
        match next {
            Next::Call(answer) => Ok(answer.await?.map_into_left_body()),
            Next::Refuse(req) => {
                tracing::warn!(path = req.match_pattern().unwrap_or_default(), "a write sent from another site's page was refused");
                let (request, _) = req.into_parts();
                let response = forbidden(&request);
                Ok(ServiceResponse::new(request, response).map_into_right_body())
            }
        }
    }
}

/// 403 `forbidden`, as JSON under `/api/` and as an error page elsewhere.
fn forbidden(req: &actix_web::HttpRequest) -> actix_web::HttpResponse {
    use crate::domain::error_code::ErrorCode;
    use crate::http::error::{ApiError, refusal};
    refusal(req, ApiError::refused(ErrorCode::Forbidden, "this request came from another site's page")).error_response()
}

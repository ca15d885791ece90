//! The HTTP interface: the JSON API under `/api/v1` and the pages.
pub mod api;
pub mod auth;
pub mod client;
pub mod error;
pub mod headers;
pub mod ops;
pub mod pages;
pub mod paging;
pub mod session;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};

pub use crate::app::auth::ACCOUNT_RATE;
pub use client::client_address;

/// What every request handler shares: the application.
pub type AppState = crate::app::Application;

/// Sends every request's id in its answer (`X-Request-Id`), so that a client's report can be
/// found in the logs: `tracing-actix-web`'s request span, around this, made the id and carries it
/// in every log line of the request. One sent by the client is not trusted into the logs.
fn answer_with_request_id<S, B>(
    req: actix_web::dev::ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: actix_web::dev::Service<actix_web::dev::ServiceRequest, Response = actix_web::dev::ServiceResponse<B>, Error = actix_web::Error>,
{
    use actix_web::HttpMessage;
    let id = req.extensions().get::<tracing_actix_web::RequestId>().map(ToString::to_string);
    let answer = service.call(req);
    async move {
        let mut response = answer.await?;
        if let Some(value) = id.and_then(|id| actix_web::http::header::HeaderValue::from_str(&id).ok()) {
            response.headers_mut().insert(actix_web::http::header::HeaderName::from_static("x-request-id"), value);
        }
        Ok(response)
    }
}

/// A HEAD request is routed as the GET of the same path; the HTTP layer then sends the answer's
/// headers without its body (it decided that when it read the request line).
fn answer_head_like_get<S>(mut req: actix_web::dev::ServiceRequest, service: &S) -> S::Future
where
    S: actix_web::dev::Service<actix_web::dev::ServiceRequest>,
{
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    service.call(req)
}

/// The largest form a page takes (the largest, the parameters page, is a few KiB).
pub const FORM_LIMIT: usize = 64 * 1024;

/// Binds the app to an already-open listener (tests pass port 0) and returns the running server.
pub fn serve(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::JsonConfig::default().limit(1 << 20).error_handler(error::json_error))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .app_data(web::FormConfig::default().limit(FORM_LIMIT).error_handler(error::form_error))
            .app_data(web::PayloadConfig::new(FORM_LIMIT))
            .wrap_fn(answer_head_like_get)
            .wrap_fn(headers::same_origin_writes)
            .wrap_fn(headers::host_only_cookies)
            .wrap(headers::security_headers())
            .wrap(crate::telemetry::HTTP_METRICS.clone())
            .wrap_fn(answer_with_request_id)
            .wrap(tracing_actix_web::TracingLogger::<client::RequestSpan>::new())
            // The access log names the route, not the path: a path can hold a member's phone.
            .wrap(
                actix_web::middleware::Logger::new("%{client}xi \"%{route}xi\" %s %Dms id=%{x-request-id}o")
                    .custom_request_replace("client", |req| client_address(req.request()).to_string())
                    .custom_request_replace("route", |req| {
                        format!("{} {}", req.method(), req.match_pattern().unwrap_or_else(|| "(no route)".to_string()))
                    }),
            )
            .service(ops::healthz)
            .service(ops::readyz)
            .configure(api::configure)
            .configure(pages::configure)
            .default_service(web::to(pages::not_found))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

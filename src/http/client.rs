//! Who a request is from, and how it is logged: the client address (the peer, or what a trusted
//! proxy forwarded; see `domain::client_address`) and the request's log span, which names the
//! route pattern, never the path (a path can hold a member's phone).
use std::net::{IpAddr, Ipv4Addr};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{HttpMessage, HttpRequest, web};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use super::AppState;
use crate::domain::client_address::ClientAddress;

/// The client address of a request.
pub fn client_address(req: &HttpRequest) -> ClientAddress {
    let peer = req.peer_addr().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
    let forwarded: Vec<&str> = req.headers().get_all("x-forwarded-for").filter_map(|value| value.to_str().ok()).collect();
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.trusted_proxies.client(peer, &forwarded),
        None => crate::domain::client_address::TrustedProxies::default().client(peer, &forwarded),
    }
}

/// The span every log line of a request is in: method, route pattern, client address, request id, status.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "(no route)".to_string());
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = %client_address(request.request()),
            request_id = %request_id,
            http.status_code = Empty,
        )
    }

    /// Records the status only: an error's text can hold what the request carried (a path with a
    /// phone); internal errors are logged where they happen, without it.
    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
    }
}

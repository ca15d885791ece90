//! The HTTP interface: the JSON API under `/api/v1` and the pages.
pub mod api;
pub mod auth;
pub mod error;
pub mod ops;
pub mod pages;
pub mod paging;
pub mod session;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::day::BusinessDay;
use crate::domain::throttle::Rate;
use crate::graph::Graph;

/// How long a request waits for each database exchange before it answers 503
/// `database_unavailable` (the exchange itself still runs to its end). Whole-day reads and
/// settlement runs opt out (`Graph::without_deadline`).
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(4);

/// Login attempts, by account (`member:PHONE`, `admin:NAME`) and by client address (`ip:ADDR`):
/// 10 at once, then one more every 90 seconds (40 an hour at most).
pub const LOGIN_RATE: Rate = Rate { burst: 10, every: std::time::Duration::from_secs(90) };
/// Member account requests that tell something about a phone, by client address: SMS codes
/// (`sms:ADDR`, on top of the per-phone limits) and registration (`register:ADDR`), 20 an hour each.
pub const ACCOUNT_RATE: Rate = Rate { burst: 20, every: std::time::Duration::from_secs(180) };

/// What every request handler shares.
pub struct AppState {
    pub graph: Graph,
    pub tz: Tz,
    /// SMS codes: issued and checked under their per-phone limits, delivered by the configured sender.
    pub sms: crate::app::sms::SmsCodes,
    pub dashboard: pages::admin::dashboard::Cache,
    pub sorted_payouts: pages::admin::settlements::SortedDays,
    /// How the settlements asked for through the API and the pages write.
    pub settle: crate::app::settle::Options,
}

impl AppState {
    pub fn new(graph: Graph, tz: Tz) -> AppState {
        let graph = graph.with_deadline(REQUEST_DEADLINE);
        AppState {
            graph,
            tz,
            sms: crate::app::sms::SmsCodes::new(crate::app::sms::SmsSender::Development),
            dashboard: pages::admin::dashboard::Cache::default(),
            sorted_payouts: pages::admin::settlements::SortedDays::default(),
            settle: crate::app::settle::Options::default(),
        }
    }

    /// The same state with settlements run with `options`.
    pub fn with_settle_options(mut self, options: crate::app::settle::Options) -> AppState {
        self.settle = options;
        self
    }

    /// The same state with another SMS sender (the development outbox is the default).
    pub fn with_sms_sender(mut self, sender: crate::app::sms::SmsSender) -> AppState {
        self.sms = crate::app::sms::SmsCodes::new(sender);
        self
    }

    /// Whether an attempt on `key` is within `rate` (counted in the database, across servers).
    pub async fn admit(&self, key: &str, rate: Rate) -> crate::graph::GraphResult<bool> {
        crate::graph::throttles::admit(&self.graph, key, rate, self.now().timestamp_millis()).await
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    pub fn today(&self) -> BusinessDay {
        BusinessDay::of(self.now(), self.tz)
    }
}

/// Gives every request an id: its log lines carry it (a `request` span around the handler, and
/// the access log), and so does its answer (`X-Request-Id`), so that a client's report can be
/// found in the logs. The id is made here; one sent by the client is not trusted into the logs.
fn with_request_id<S, B>(
    req: actix_web::dev::ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: actix_web::dev::Service<actix_web::dev::ServiceRequest, Response = actix_web::dev::ServiceResponse<B>, Error = actix_web::Error>,
{
    use tracing::Instrument;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let span = tracing::info_span!("request", id = %id);
    let answer = service.call(req).instrument(span);
    async move {
        let mut response = answer.await?;
        let value = actix_web::http::header::HeaderValue::from_str(&id).expect("hex is a header value");
        response.headers_mut().insert(actix_web::http::header::HeaderName::from_static("x-request-id"), value);
        Ok(response)
    }
}

/// A HEAD request is routed as the GET of the same path; the HTTP layer then sends the answer's
/// headers without its body (it decided that when it read the request line).
fn answer_head_like_get<S>(
    mut req: actix_web::dev::ServiceRequest,
    service: &S,
) -> S::Future
where
    S: actix_web::dev::Service<actix_web::dev::ServiceRequest>,
{
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    service.call(req)
}

/// Binds the app to an already-open listener (tests pass port 0) and returns the running server.
pub fn serve(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::JsonConfig::default().limit(1 << 20).error_handler(error::json_error))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .wrap_fn(answer_head_like_get)
            .wrap(crate::telemetry::HTTP_METRICS.clone())
            .wrap_fn(with_request_id)
            .wrap(actix_web::middleware::Logger::new("%r %s %Dms id=%{x-request-id}o"))
            .service(ops::healthz)
            .service(ops::readyz)
            .configure(api::configure)
            .configure(pages::configure)
    })
    .listen(listener)?
    .run();
    Ok(server)
}

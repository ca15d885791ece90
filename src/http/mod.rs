//! The HTTP interface: the JSON API under `/api/v1` (and, later, the pages).
pub mod api;
pub mod auth;
pub mod error;
pub mod paging;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::day::BusinessDay;
use crate::graph::Graph;

/// What every request handler shares.
pub struct AppState {
    pub graph: Graph,
    pub tz: Tz,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    pub fn today(&self) -> BusinessDay {
        BusinessDay::of(self.now(), self.tz)
    }
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
            .wrap(actix_web::middleware::Logger::new("%r %s %Dms"))
            .configure(api::configure)
    })
    .listen(listener)?
    .run();
    Ok(server)
}

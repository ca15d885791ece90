//! The admin console: operators run the scheme from these pages.
mod api_keys;
mod audit;
pub mod dashboard;
mod login;
mod members;
mod outbox;
mod params;
pub mod settlements;
mod tree;
mod withdrawals;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .configure(members::configure)
            .configure(tree::configure)
            .configure(settlements::configure)
            .configure(params::configure)
            .configure(withdrawals::configure)
            .configure(api_keys::configure)
            .configure(audit::configure)
            .configure(outbox::configure)
            .route("", web::get().to(dashboard::page))
            .route("/", web::get().to(dashboard::page)),
    );
}

//! The admin console: operators run the scheme from these pages.
pub mod dashboard;
mod login;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("", web::get().to(dashboard::page))
            .route("/", web::get().to(dashboard::page)),
    );
}

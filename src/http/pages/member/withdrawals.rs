//! Placeholder: filled in by the member portal work.
use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}

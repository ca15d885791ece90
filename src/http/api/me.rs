//! The logged-in member's own views, `/api/v1/me…`, for a future app. A member authenticates with
//! the portal's session cookie (`POST /api/v1/auth/login` opens one); it is `SameSite=Strict`, and
//! the state-changing calls take JSON bodies, which other sites cannot send without CORS.
use std::future::Future;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};

use crate::domain::phone::Phone;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::session::{self, Kind};

/// The member a request's session cookie belongs to; 401 without a live member session.
pub struct Me {
    pub phone: Phone,
}

fn unauthenticated() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in first: POST /api/v1/auth/login")
}

impl FromRequest for Me {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<web::Data<AppState>>().cloned().expect("the app state is registered");
            let session = session::current(&state.graph, &req, Kind::Member, state.now()).await?.ok_or_else(unauthenticated)?;
            let phone = Phone::parse(&session.subject).map_err(|_| unauthenticated())?;
            Ok(Me { phone })
        })
    }
}

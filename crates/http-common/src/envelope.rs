use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The body of every answer: `{"success", "message", "data"}` (plus `error` on failures).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Envelope<T: Serialize> {
    /// True for 2xx answers.
    pub success: bool,
    /// A sentence for people.
    pub message: String,
    /// The payload, or null.
    pub data: T,
}

/// A successful answer with its status code.
#[derive(Debug)]
pub struct Success<T: Serialize> {
    status: StatusCode,
    message: String,
    data: T,
}

impl<T: Serialize> Success<T> {
    /// 200 OK.
    pub fn ok(message: impl Into<String>, data: T) -> Self {
        Self {
            status: StatusCode::OK,
            message: message.into(),
            data,
        }
    }

    /// 201 Created.
    pub fn created(message: impl Into<String>, data: T) -> Self {
        Self {
            status: StatusCode::CREATED,
            message: message.into(),
            data,
        }
    }

    /// 202 Accepted.
    pub fn accepted(message: impl Into<String>, data: T) -> Self {
        Self {
            status: StatusCode::ACCEPTED,
            message: message.into(),
            data,
        }
    }
}

impl<T: Serialize> IntoResponse for Success<T> {
    fn into_response(self) -> Response {
        let body = Envelope {
            success: true,
            message: self.message,
            data: self.data,
        };
        (self.status, Json(body)).into_response()
    }
}

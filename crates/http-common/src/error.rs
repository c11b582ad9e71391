use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kh_domain::ValidationErrors;
use kh_ports::services::ServiceError;
use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Detail {
    /// The field, as the client named it.
    pub field: String,
    /// What is wrong and what would be accepted.
    pub issue: String,
}

/// Every failure a client can see: a status, a stable code, a sentence and field details.
/// The one place where errors become HTTP.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<Detail>,
}

impl ApiError {
    /// An error with no field details.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// 400 `validation_failed` for a single field.
    pub fn invalid(field: impl Into<String>, issue: impl Into<String>) -> Self {
        Self::validation(vec![Detail {
            field: field.into(),
            issue: issue.into(),
        }])
    }

    /// 400 `validation_failed` listing every problem.
    pub fn validation(details: Vec<Detail>) -> Self {
        let summary: Vec<String> = details
            .iter()
            .map(|d| format!("{}: {}", d.field, d.issue))
            .collect();
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "validation_failed",
            message: format!("Please fix the input — {}", summary.join("; ")),
            details,
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::validation(
            errors
                .0
                .into_iter()
                .map(|e| Detail {
                    field: e.field.to_owned(),
                    issue: e.issue,
                })
                .collect(),
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(errors) => errors.into(),
            ServiceError::NotFound(id) => Self::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("No transaction with id {id}"),
            ),
            ServiceError::BranchNotFound(message) => {
                Self::new(StatusCode::NOT_FOUND, "not_found", message)
            }
            ServiceError::Unauthorized(message) => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            }
            ServiceError::HqUnreachable(message) => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
            }
            ServiceError::Forbidden(message) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            ServiceError::Conflict(message) => Self::new(StatusCode::CONFLICT, "conflict", message),
            ServiceError::AlreadyVoided { original, void } => Self::new(
                StatusCode::CONFLICT,
                "already_voided",
                format!("Transaction {original} was already voided by {void}"),
            ),
            ServiceError::Unavailable(cause) => {
                tracing::warn!(error.cause = %cause, "storage unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The database is busy or unreachable; nothing was saved. Try again in a moment.",
                )
            }
            ServiceError::Internal(cause) => {
                tracing::error!(error.cause = %cause, "internal error");
                Self::internal()
            }
        }
    }
}

impl ApiError {
    /// 500, opaque to the client; the cause goes to the log where it happened.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on the server; nothing was changed. The details are in the server's log.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            success: false,
            message: self.message,
            data: (),
            error: ErrorInfo {
                code: self.code,
                details: self.details,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

#[derive(Serialize)]
struct ErrorBody {
    success: bool,
    message: String,
    data: (),
    error: ErrorInfo,
}

#[derive(Serialize)]
struct ErrorInfo {
    code: &'static str,
    details: Vec<Detail>,
}

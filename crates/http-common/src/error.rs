use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kh_domain::{Rule, ValidationErrors};
use kh_ports::services::ServiceError;
use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Detail {
    /// The field, as the client named it.
    pub field: String,
    /// Which rule it broke, machine-readable (`required`, `max_length`, `range`, `format`, ...),
    /// for a client to say it in its user's language.
    #[schema(schema_with = crate::openapi::rule)]
    pub rule: &'static str,
    /// The number the rule is about (the longest length, the largest value, ...), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub limit: Option<i64>,
    /// The smallest allowed value of a range, if the rule is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub min: Option<i64>,
    /// What is wrong and what would be accepted, in English.
    pub issue: String,
}

impl Detail {
    /// A detail of `field` breaking `rule` (whose numbers it carries).
    pub fn new(field: impl Into<String>, rule: Rule, issue: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            rule: rule.name(),
            limit: rule.limit(),
            min: rule.min(),
            issue: issue.into(),
        }
    }
}

impl From<kh_domain::FieldError> for Detail {
    fn from(e: kh_domain::FieldError) -> Self {
        Self::new(e.field, e.rule, e.issue)
    }
}

/// The stable error codes a client can see (DESIGN section 4, and the ones
/// `docs/decisions.md` adds), each with the one HTTP status it is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 400: one or more fields break a rule (`details` names each).
    ValidationFailed,
    /// 400: the body is not JSON.
    MalformedJson,
    /// 401: missing, unknown or rotated-away credentials.
    Unauthorized,
    /// 403: credentials that may not do this, or a foreign Host/Origin.
    Forbidden,
    /// 403: a supervisor must approve this (send again with `approval`: their id and PIN).
    ApprovalRequired,
    /// 404: no such thing.
    NotFound,
    /// 405: a known path with another method.
    MethodNotAllowed,
    /// 408: the body did not arrive in time.
    RequestTimeout,
    /// 409: contradicts what is stored.
    Conflict,
    /// 409: the entry already has a void.
    AlreadyVoided,
    /// 409: moving the PC to another branch needs confirmation.
    BranchChangeUnconfirmed,
    /// 413: the body or the batch is too large.
    PayloadTooLarge,
    /// 415: not JSON.
    UnsupportedMediaType,
    /// 429: too many failed sign-in attempts.
    RateLimited,
    /// 431: too many or too large headers.
    HeadersTooLarge,
    /// 500: a bug; details only in the log.
    Internal,
    /// 503: storage or HQ unavailable; nothing changed.
    Unavailable,
}

impl ErrorCode {
    /// Every code, for documentation and tests.
    pub const ALL: [Self; 17] = [
        Self::ValidationFailed,
        Self::MalformedJson,
        Self::Unauthorized,
        Self::Forbidden,
        Self::ApprovalRequired,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::RequestTimeout,
        Self::Conflict,
        Self::AlreadyVoided,
        Self::BranchChangeUnconfirmed,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::RateLimited,
        Self::HeadersTooLarge,
        Self::Internal,
        Self::Unavailable,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::MalformedJson => "malformed_json",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::ApprovalRequired => "approval_required",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::RequestTimeout => "request_timeout",
            Self::Conflict => "conflict",
            Self::AlreadyVoided => "already_voided",
            Self::BranchChangeUnconfirmed => "branch_change_unconfirmed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::HeadersTooLarge => "headers_too_large",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }

    /// The HTTP status this code is always answered with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::ValidationFailed | Self::MalformedJson => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::ApprovalRequired => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict | Self::AlreadyVoided | Self::BranchChangeUnconfirmed => {
                StatusCode::CONFLICT
            }
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// Every failure a client can see: a stable code (which fixes the status), a sentence and
/// field details. The one place where errors become HTTP.
#[derive(Debug, Clone)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    details: Vec<Detail>,
}

impl ApiError {
    /// An error with no field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// 400 `validation_failed` for a single field.
    pub fn invalid(field: impl Into<String>, issue: impl Into<String>) -> Self {
        Self::validation(vec![Detail::new(field, Rule::Invalid, issue)])
    }

    /// 400 `validation_failed` listing every problem.
    pub fn validation(details: Vec<Detail>) -> Self {
        let summary: Vec<String> = details
            .iter()
            .map(|d| format!("{}: {}", d.field, d.issue))
            .collect();
        Self {
            code: ErrorCode::ValidationFailed,
            message: format!("Please fix the input — {}", summary.join("; ")),
            details,
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// The field details.
    pub fn details(&self) -> &[Detail] {
        &self.details
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::validation(errors.0.into_iter().map(Detail::from).collect())
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(errors) => errors.into(),
            ServiceError::NotFound(id) => {
                Self::new(ErrorCode::NotFound, format!("No transaction with id {id}"))
            }
            ServiceError::BranchNotFound(message) | ServiceError::ItemNotFound(message) => {
                Self::new(ErrorCode::NotFound, message)
            }
            ServiceError::Unauthorized(message) => Self::new(ErrorCode::Unauthorized, message),
            ServiceError::HqUnreachable(message) => Self::new(ErrorCode::Unavailable, message),
            ServiceError::Forbidden(message) => Self::new(ErrorCode::Forbidden, message),
            ServiceError::ApprovalRequired(message) => {
                Self::new(ErrorCode::ApprovalRequired, message)
            }
            ServiceError::Conflict(message) => Self::new(ErrorCode::Conflict, message),
            ServiceError::RateLimited { retry_after_secs } => Self::new(
                ErrorCode::RateLimited,
                format!("Too many failed attempts; try again in {retry_after_secs} seconds"),
            ),
            ServiceError::BranchChangeUnconfirmed { from, to, unsent } => Self {
                code: ErrorCode::BranchChangeUnconfirmed,
                message: format!(
                    "This PC holds {unsent} entries of branch {from} that HQ has not received. \
                     The key is branch {to}'s: after the change those entries stay on this PC, \
                     unchanged, and are sent only when the PC is activated again with branch \
                     {from}'s key. Send them first (sync while online), or confirm the change."
                ),
                details: vec![Detail::new(
                    "confirm_branch_change",
                    Rule::Confirm,
                    format!(
                        "must be true to move this PC from branch {from} to {to} with {unsent} entries not yet at HQ"
                    ),
                )],
            },
            ServiceError::AlreadyVoided { original, void } => Self::new(
                ErrorCode::AlreadyVoided,
                format!("Transaction {original} was already voided by {void}"),
            ),
            ServiceError::Unavailable(cause) => {
                tracing::warn!(error.cause = %cause, "storage unavailable");
                Self::new(
                    ErrorCode::Unavailable,
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
            ErrorCode::Internal,
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
        (self.code.status(), Json(body)).into_response()
    }
}

/// The body of every error answer: the envelope with `success: false`, `data: null` and the
/// error's code and field details.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Always false.
    success: bool,
    /// What went wrong, in a sentence for people.
    message: String,
    /// Always null.
    #[schema(schema_with = crate::openapi::null)]
    data: (),
    /// The code and the field details.
    error: ErrorInfo,
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The machine-readable part of an error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorInfo {
    /// The stable code.
    code: ErrorCode,
    /// Each broken field (empty when the error is not about fields).
    details: Vec<Detail>,
}

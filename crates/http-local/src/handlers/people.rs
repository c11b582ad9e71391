//! The lock screen (DESIGN 10.2): who may sign in at this PC, signing in with a PIN, and
//! locking again. The app sends the session's token in `X-KH-Session`; once the branch has
//! staff, entries and voids without a live session are refused (see [`AtThePc`]).

use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use kh_domain::StaffMember;
use kh_http_common::{Envelope, ErrorBody, JsonBody, Success};
use kh_ports::services::Actor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{ApiError, AppState};

/// The header carrying the lock screen's session.
pub(crate) const SESSION_HEADER: &str = "X-KH-Session";

fn token(headers: &HeaderMap) -> Option<&str> {
    headers.get(SESSION_HEADER).and_then(|v| v.to_str().ok())
}

fn role() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["cashier", "supervisor"]))
        .build()
}

/// A staff member as the lock screen shows them (never the PIN's hash).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StaffDto {
    #[schema(schema_with = kh_http_common::openapi::uuid)]
    id: String,
    name: String,
    #[schema(schema_with = role)]
    role: &'static str,
}

impl From<&StaffMember> for StaffDto {
    fn from(m: &StaffMember) -> Self {
        Self {
            id: m.id.to_string(),
            name: m.name.as_str().to_owned(),
            role: m.role.as_str(),
        }
    }
}

/// `GET /staff`: the lock screen's names.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RosterDto {
    /// Whether entries need a signed-in member; false until HQ sends this branch its staff.
    required: bool,
    /// Minutes without use after which a session ends and the app locks.
    idle_lock_minutes: i64,
    /// The active members, by name.
    staff: Vec<StaffDto>,
}

/// `POST /session`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignInRequest {
    #[schema(schema_with = kh_http_common::openapi::uuid)]
    staff_id: String,
    /// Six digits.
    #[schema(pattern = "^[0-9]{6}$")]
    pin: String,
}

/// A session just opened: the token (send it in `X-KH-Session`) and who holds it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionDto {
    /// Shown once; the app keeps it in memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    staff: StaffDto,
    idle_lock_minutes: i64,
}

/// `GET /staff`.
#[utoipa::path(get, path = "/staff", tag = "staff",
    responses(
        (status = 200, description = "Who may sign in here, and whether anybody must", body = Envelope<RosterDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn roster(State(state): State<AppState>) -> Result<Success<RosterDto>, ApiError> {
    let roster = state.lock.roster().await?;
    Ok(Success::ok(
        "OK",
        RosterDto {
            required: roster.required,
            idle_lock_minutes: state.lock.idle_minutes(),
            staff: roster.staff.iter().map(StaffDto::from).collect(),
        },
    ))
}

/// `POST /session`: signs in with a PIN, checked on this PC against the hash HQ sent.
#[utoipa::path(post, path = "/session", tag = "staff", request_body = SignInRequest,
    responses(
        (status = 201, description = "Signed in; send the token in `X-KH-Session`", body = Envelope<SessionDto>),
        (status = 401, description = "`unauthorized`: wrong PIN (the message says how many tries are left)", body = ErrorBody),
        (status = 404, description = "`not_found`: no active member with this id", body = ErrorBody),
        (status = 429, description = "`rate_limited`: locked after 5 wrong PINs; `Retry-After` says for how long", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<SignInRequest>,
) -> Result<Success<SessionDto>, ApiError> {
    let (token, member) = state.lock.sign_in(&body.staff_id, &body.pin).await?;
    Ok(Success::created(
        format!("Signed in as {}", member.name.as_str()),
        SessionDto {
            token: Some(token.reveal().to_owned()),
            staff: StaffDto::from(&member),
            idle_lock_minutes: state.lock.idle_minutes(),
        },
    ))
}

/// `GET /session`: who holds the session in `X-KH-Session`.
#[utoipa::path(get, path = "/session", tag = "staff",
    params(("X-KH-Session" = Option<String>, Header, description = "The token from `POST /session`")),
    responses(
        (status = 200, description = "The session's member", body = Envelope<SessionDto>),
        (status = 401, description = "`unauthorized`: no live session (locked, idle too long, or the member was deactivated)", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn current(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Success<SessionDto>, ApiError> {
    match state.lock.actor(token(&headers)).await? {
        Actor::Staff(member) => Ok(Success::ok(
            "OK",
            SessionDto {
                token: None,
                staff: StaffDto::from(&member),
                idle_lock_minutes: state.lock.idle_minutes(),
            },
        )),
        Actor::Unlocked => Err(ApiError::new(
            kh_http_common::ErrorCode::Unauthorized,
            "This branch has no staff yet: nobody signs in",
        )),
    }
}

/// `DELETE /session`: locks the PC ("Kunci").
#[utoipa::path(delete, path = "/session", tag = "staff",
    params(("X-KH-Session" = Option<String>, Header, description = "The token to end")),
    responses(
        (status = 200, description = "Locked"),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Success<()>, ApiError> {
    state.lock.sign_out(token(&headers)).await?;
    Ok(Success::ok("Locked", ()))
}

/// Who is at the PC, for the routes that change the book: once the branch has staff, a live
/// session in `X-KH-Session` is required (401 otherwise).
#[derive(Debug, Clone)]
pub(crate) struct AtThePc(pub Actor);

impl FromRequestParts<AppState> for AtThePc {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(state.lock.actor(token(&parts.headers)).await?))
    }
}

/// The supervisor whose PIN approves a request (DESIGN 10.2), checked like a sign-in, when the
/// request carries an approval.
pub(crate) async fn approver(
    state: &AppState,
    approval: Option<&crate::dto::Approval>,
) -> Result<Option<StaffMember>, ApiError> {
    match approval {
        Some(a) => Ok(Some(state.lock.approval(&a.staff_id, &a.pin).await?)),
        None => Ok(None),
    }
}

//! `POST /auth/login`, `GET /auth/me`, `POST /auth/logout`; HQ's users and the audit log.

use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Path, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use kh_domain::UserId;
use kh_http_common::{Envelope, ErrorBody, JsonBody, Success};
use kh_ports::services::{SESSION_IDLE_HOURS, ServiceError};

use crate::auth::{bucket_of, too_many};
use crate::dto::{AuditDto, CreateUser, ResetPassword, SessionDto, SignIn, UserDto};
use crate::staff_auth::{Principal, SESSION_COOKIE, cookie, over_tls, peer, session_cookie};
use crate::{ApiError, CloudState};

/// The request's peer and headers, for the cookie's `Secure` and the failure limit.
pub(crate) struct Client {
    headers: HeaderMap,
    peer: Option<std::net::SocketAddr>,
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            headers: parts.headers.clone(),
            peer: peer(parts),
        })
    }
}

/// `POST /auth/login`: a session cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind TLS).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Envelope<SessionDto>),
        (status = 401, description = "`unauthorized`: the email or the password is wrong", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed attempts; see Retry-After", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn login(
    State(state): State<CloudState>,
    client: Client,
    JsonBody(body): JsonBody<SignIn>,
) -> Result<Response, ApiError> {
    let bucket = bucket_of(client.peer, &client.headers, &state.trusted_proxies);
    let attempt = match state.limiter.begin(bucket, Instant::now()) {
        Ok(attempt) => attempt,
        Err(wait) => return Ok(too_many(wait)),
    };
    match state.auth.sign_in(&body.email, &body.password).await {
        Ok(signed_in) => {
            attempt.succeeded();
            let secure = over_tls(&client.headers, client.peer, &state.trusted_proxies);
            let set = session_cookie(
                Some(signed_in.token.reveal()),
                secure,
                SESSION_IDLE_HOURS * 3600,
            );
            let answer = Success::ok("Signed in", SessionDto::from(&signed_in.session));
            Ok(([(SET_COOKIE, set)], answer).into_response())
        }
        Err(ServiceError::RateLimited { retry_after_secs }) => {
            Ok(too_many(Duration::from_secs(retry_after_secs)))
        }
        Err(e) => {
            let _ = attempt.failed();
            Err(e.into())
        }
    }
}

/// `GET /auth/me`: the signed-in user and a CSRF token; 401 without a live session.
#[utoipa::path(get, path = "/auth/me", tag = "auth",
    responses(
        (status = 200, description = "The session", body = Envelope<SessionDto>),
        (status = 401, description = "`unauthorized`: not signed in, or the session ended", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn me(
    State(state): State<CloudState>,
    client: Client,
) -> Result<Success<SessionDto>, ApiError> {
    let session = state
        .auth
        .session(cookie(&client.headers, SESSION_COOKIE))
        .await?;
    Ok(Success::ok("OK", SessionDto::from(&session)))
}

/// `POST /auth/logout`: ends the session and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses(
        (status = 200, description = "Signed out", body = Envelope<Option<String>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn logout(
    State(state): State<CloudState>,
    client: Client,
) -> Result<Response, ApiError> {
    state
        .auth
        .sign_out(cookie(&client.headers, SESSION_COOKIE))
        .await?;
    let secure = over_tls(&client.headers, client.peer, &state.trusted_proxies);
    let cleared = session_cookie(None, secure, 0);
    Ok((
        [(SET_COOKIE, cleared)],
        Success::<Option<String>>::ok("Signed out", None),
    )
        .into_response())
}

/// A user id from the path; anything that is not one is a 400 naming `id`.
pub(crate) struct UserIdParam(UserId);

impl<S: Send + Sync> FromRequestParts<S> for UserIdParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::invalid("id", "must be a user id (a UUID)"))?;
        UserId::parse("id", &raw)
            .map(Self)
            .map_err(|e| ApiError::invalid(e.field, e.issue))
    }
}

/// `GET /users` (owners).
#[utoipa::path(get, path = "/users", tag = "users",
    responses(
        (status = 200, description = "Every HQ user", body = Envelope<Vec<UserDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn list_users(
    State(state): State<CloudState>,
) -> Result<Success<Vec<UserDto>>, ApiError> {
    let users = state.auth.users().await?;
    Ok(Success::ok("OK", users.iter().map(UserDto::from).collect()))
}

/// `POST /users` (owners).
#[utoipa::path(post, path = "/users", tag = "users", request_body = CreateUser,
    responses(
        (status = 201, description = "The new user", body = Envelope<UserDto>),
        (status = 409, description = "`conflict`: the email is taken", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn create_user(
    State(state): State<CloudState>,
    principal: Principal,
    JsonBody(body): JsonBody<CreateUser>,
) -> Result<Success<UserDto>, ApiError> {
    let user = state
        .auth
        .create_user(&body.email, &body.role, &body.password)
        .await?;
    state
        .auth
        .record(&principal.actor(), "user.create", user.email.as_str())
        .await;
    Ok(Success::created("User created", UserDto::from(&user)))
}

async fn set_disabled(
    state: &CloudState,
    principal: &Principal,
    id: UserId,
    disabled: bool,
) -> Result<Success<UserDto>, ApiError> {
    let user = state.auth.set_disabled(id, disabled).await?;
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    state
        .auth
        .record(&principal.actor(), action, user.email.as_str())
        .await;
    Ok(Success::ok("OK", UserDto::from(&user)))
}

/// `POST /users/{id}/disable` (owners): the user's sessions end at once.
#[utoipa::path(post, path = "/users/{id}/disable", tag = "users",
    params(("id" = String, Path, description = "The user's id", format = Uuid)),
    responses(
        (status = 200, description = "The user", body = Envelope<UserDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn disable_user(
    State(state): State<CloudState>,
    principal: Principal,
    UserIdParam(id): UserIdParam,
) -> Result<Success<UserDto>, ApiError> {
    set_disabled(&state, &principal, id, true).await
}

/// `POST /users/{id}/enable` (owners).
#[utoipa::path(post, path = "/users/{id}/enable", tag = "users",
    params(("id" = String, Path, description = "The user's id", format = Uuid)),
    responses(
        (status = 200, description = "The user", body = Envelope<UserDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn enable_user(
    State(state): State<CloudState>,
    principal: Principal,
    UserIdParam(id): UserIdParam,
) -> Result<Success<UserDto>, ApiError> {
    set_disabled(&state, &principal, id, false).await
}

/// `POST /users/{id}/reset-password` (owners): the user's sessions end.
#[utoipa::path(post, path = "/users/{id}/reset-password", tag = "users", request_body = ResetPassword,
    params(("id" = String, Path, description = "The user's id", format = Uuid)),
    responses(
        (status = 200, description = "The user", body = Envelope<UserDto>),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn reset_password(
    State(state): State<CloudState>,
    principal: Principal,
    UserIdParam(id): UserIdParam,
    JsonBody(body): JsonBody<ResetPassword>,
) -> Result<Success<UserDto>, ApiError> {
    let user = state.auth.reset_password(id, &body.password).await?;
    state
        .auth
        .record(
            &principal.actor(),
            "user.reset_password",
            user.email.as_str(),
        )
        .await;
    Ok(Success::ok("Password changed", UserDto::from(&user)))
}

/// `GET /audit` (owners): who changed what, newest first.
#[utoipa::path(get, path = "/audit", tag = "users",
    responses(
        (status = 200, description = "The latest 500 lines of the audit log", body = Envelope<Vec<AuditDto>>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn audit(
    State(state): State<CloudState>,
) -> Result<Success<Vec<AuditDto>>, ApiError> {
    let lines = state.auth.audit_log(500).await?;
    Ok(Success::ok(
        "OK",
        lines.iter().map(AuditDto::from).collect(),
    ))
}

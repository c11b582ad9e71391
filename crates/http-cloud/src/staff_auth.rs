//! HQ staff on the admin endpoints (DESIGN 10.1): a request carries either the admin token (a
//! script; it may do everything) or the session cookie of a signed-in user, whose role decides
//! what it may do. A state-changing request with a session must echo the session's CSRF token
//! in `X-KH-CSRF`: another site can make the browser send the cookie (not with
//! `SameSite=Strict`, but defence in depth) and never read the token.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kh_domain::Role;
use kh_http_common::ErrorCode;
use kh_ports::Session;
use subtle::ConstantTimeEq;

use crate::auth::{bearer, bucket, count_failure, too_many};
use crate::proxies::TrustedProxy;
use crate::{ApiError, CloudState};

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "kh_session";
/// The header a state-changing request with a session echoes the CSRF token in.
pub(crate) const CSRF_HEADER: &str = "X-KH-CSRF";

/// Who made an admin request.
#[derive(Debug, Clone)]
pub(crate) enum Principal {
    /// `KH_ADMIN_TOKEN`: a script or the operator; may do everything.
    Token,
    /// A signed-in HQ user.
    User(Session),
}

impl Principal {
    /// What it may do.
    pub(crate) fn role(&self) -> Role {
        match self {
            Self::Token => Role::Owner,
            Self::User(s) => s.user.role,
        }
    }

    /// How the audit log names it.
    pub(crate) fn actor(&self) -> String {
        match self {
            Self::Token => "admin token".into(),
            Self::User(s) => s.user.email.as_str().to_owned(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Principal>().cloned().ok_or_else(|| {
            tracing::error!("an admin endpoint is routed without require_staff");
            ApiError::internal()
        })
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The role an admin endpoint needs: reading needs a viewer, the lists finance, the rest (the
/// branches and their keys, users, the audit log) an owner.
pub(crate) fn needed_role(method: &Method, path: &str) -> Role {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let owners_only = path.starts_with("/users") || path.starts_with("/audit");
    if owners_only {
        Role::Owner
    } else if matches!(*method, Method::GET | Method::HEAD) {
        Role::Viewer
    } else if path.starts_with("/lists") || path.starts_with("/staff") {
        // Lists and branch staff are master data (DESIGN 9), which finance manages.
        Role::Finance
    } else {
        Role::Owner
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn role_refused(role: Role) -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        format!(
            "Your role ({}) may not do this; ask an owner",
            role.as_str()
        ),
    )
}

/// Middleware of the admin endpoints: the admin token or a session (with its CSRF token on a
/// change) and a role that allows the endpoint; puts the [`Principal`] in the request.
pub(crate) async fn require_staff(
    State(state): State<CloudState>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.extensions().get::<OriginalUri>().map_or_else(
        || request.uri().path().to_owned(),
        |u| u.0.path().to_owned(),
    );
    let principal = if let Some(token) = bearer(request.headers()) {
        let client = bucket(&request, &state.trusted_proxies);
        let attempt = match state.limiter.begin(client, Instant::now()) {
            Ok(attempt) => attempt,
            Err(wait) => return too_many(wait),
        };
        if let Err(error) = state.admin.check(Some(token)) {
            count_failure(attempt, client, "admin token");
            return error.into_response();
        }
        attempt.succeeded();
        Principal::Token
    } else if let Some(token) = cookie(request.headers(), SESSION_COOKIE) {
        let session = match state.auth.session(Some(token)).await {
            Ok(session) => session,
            Err(e) => return ApiError::from(e).into_response(),
        };
        if changes_state(&method) {
            let echoed = request
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !bool::from(echoed.as_bytes().ct_eq(session.csrf_token.as_bytes())) {
                tracing::warn!(user.id = %session.user.id, "a change without the session's CSRF token was refused");
                return ApiError::new(
                    ErrorCode::Forbidden,
                    "This change did not come from the HQ console (the X-KH-CSRF token is missing or wrong); reload the console and try again",
                )
                .into_response();
            }
        }
        Principal::User(session)
    } else {
        return ApiError::new(
            ErrorCode::Unauthorized,
            "Sign in to the HQ console, or send the server's KH_ADMIN_TOKEN as 'Authorization: Bearer <token>'",
        )
        .into_response();
    };
    let needed = needed_role(&method, &path);
    if !principal.role().allows(needed) {
        return role_refused(principal.role()).into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

/// Whether the request came over TLS: through a trusted proxy that says `X-Forwarded-Proto:
/// https` (kh-cloud itself speaks plain HTTP behind nginx).
pub(crate) fn over_tls(
    parts_headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trusted: &[TrustedProxy],
) -> bool {
    let from_proxy = peer.is_some_and(|p| trusted.iter().any(|t| t.contains(p.ip())));
    from_proxy
        && parts_headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value that stores `token` (or, `None`, clears the cookie).
pub(crate) fn session_cookie(token: Option<&str>, secure: bool, max_age_secs: i64) -> HeaderValue {
    let (value, age) = match token {
        Some(t) => (t, max_age_secs),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("kh_session=; Path=/; Max-Age=0"))
}

/// The peer address of a request, when the server was started with connect info.
pub(crate) fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_needs_a_viewer_lists_finance_and_the_rest_an_owner() {
        assert_eq!(
            needed_role(&Method::GET, "/api/v1/reports/summary"),
            Role::Viewer
        );
        assert_eq!(needed_role(&Method::GET, "/api/v1/branches"), Role::Viewer);
        assert_eq!(
            needed_role(&Method::POST, "/api/v1/lists/channels"),
            Role::Finance
        );
        assert_eq!(
            needed_role(&Method::PUT, "/api/v1/lists/settings"),
            Role::Finance
        );
        assert_eq!(needed_role(&Method::POST, "/api/v1/branches"), Role::Owner);
        assert_eq!(needed_role(&Method::GET, "/api/v1/users"), Role::Owner);
        assert_eq!(needed_role(&Method::GET, "/api/v1/audit"), Role::Owner);
    }

    #[test]
    fn the_session_cookie_is_found_among_others_and_set_strictly() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("lang=id; kh_session=abc123 ; other=x"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc123"));
        assert_eq!(cookie(&headers, "missing"), None);
        let set = session_cookie(Some("tok"), true, 60);
        let set = set.to_str().unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.ends_with("Secure")
        );
        let plain = session_cookie(Some("tok"), false, 60);
        assert!(!plain.to_str().unwrap().contains("Secure"));
        assert!(
            session_cookie(None, false, 60)
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
    }
}

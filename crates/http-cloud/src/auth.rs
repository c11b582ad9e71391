//! Who may call what (DESIGN 6): branch keys for `/sync/*`, the admin token for the rest.
//! Both are checked by middleware before any handler runs, so before the body is read; failed
//! attempts count towards the per-address limit of [`crate::limit`].

use kh_http_common::ErrorCode;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kh_domain::{Branch, DeviceId, FieldError, Rule, ValidationErrors};
use kh_ports::services::ServiceError;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use kh_http_common::openapi::{add_errors, operations_mut};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Components, OpenApi};

use crate::limit::{Attempt, Bucket};
use crate::proxies::{TrustedProxy, client_ip};
use crate::{ApiError, CloudState};

/// The credential of `Authorization: Bearer <credential>`, if the request carries one.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credential) = value.trim().split_once(' ')?;
    let credential = credential.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credential.is_empty()).then_some(credential)
}

/// The client's failure bucket: its address when the server was started with connect info
/// (the forwarded address when the peer is a trusted proxy).
pub(crate) fn bucket(request: &Request, trusted: &[TrustedProxy]) -> Bucket {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr);
    bucket_of(peer, request.headers(), trusted)
}

/// [`bucket`] from a request's peer and headers.
pub(crate) fn bucket_of(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[TrustedProxy],
) -> Bucket {
    Bucket::of(client_ip(peer.map(|p| p.ip()), headers, trusted))
}

pub(crate) fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let error = ApiError::new(
        ErrorCode::RateLimited,
        format!(
            "Too many sign-in attempts from this address (failed, or still being checked); try again in {seconds} seconds"
        ),
    );
    ([(RETRY_AFTER, seconds.to_string())], error).into_response()
}

pub(crate) fn count_failure(attempt: Attempt<'_>, bucket: Bucket, what: &'static str) {
    if attempt.failed() {
        tracing::warn!(
            client = ?bucket,
            "too many failed {what} attempts; refusing this client for a while"
        );
    } else {
        tracing::info!(client = ?bucket, "refused a request with a wrong {what}");
    }
}

/// Middleware for branch endpoints: puts the key's [`Branch`] in the request for
/// [`AuthedBranch`]; unknown or missing keys are 401, a disabled branch's key 403.
pub(crate) async fn require_branch(
    State(state): State<CloudState>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = bucket(&request, &state.trusted_proxies);
    let attempt = match state.limiter.begin(client, Instant::now()) {
        Ok(attempt) => attempt,
        Err(wait) => return too_many(wait),
    };
    match state.sync.authenticate(bearer(request.headers())).await {
        Ok(branch) => {
            attempt.succeeded();
            request.extensions_mut().insert(branch);
            next.run(request).await
        }
        Err(error) => {
            if matches!(error, ServiceError::Unauthorized(_)) {
                count_failure(attempt, client, "branch key");
            }
            ApiError::from(error).into_response()
        }
    }
}

/// The security scheme of the branch endpoints in the document.
pub(crate) const BRANCH_KEY: &str = "branchKey";
/// The security scheme of the admin endpoints in the document.
pub(crate) const ADMIN_TOKEN: &str = "adminToken";

/// Marks every operation of `api` as needing a branch key, with the answers
/// [`require_branch`] gives before the handler runs.
pub(crate) fn document_branch_key(api: &mut OpenApi) {
    require(api, BRANCH_KEY);
    add_errors(
        api,
        &[
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::RateLimited,
            ErrorCode::Unavailable,
        ],
        |_| true,
    );
}

/// Marks every operation of `api` as needing the admin token, with the answers
/// [`require_admin`] gives before the handler runs.
pub(crate) fn document_admin_token(api: &mut OpenApi) {
    require_any(api, &[ADMIN_TOKEN, SESSION]);
    add_errors(
        api,
        &[
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::RateLimited,
            ErrorCode::Unavailable,
        ],
        |_| true,
    );
}

/// The security scheme of a signed-in HQ user (the session cookie).
pub(crate) const SESSION: &str = "session";

fn require(api: &mut OpenApi, scheme: &str) {
    require_any(api, &[scheme]);
}

/// Each operation of `api` needs one of `schemes`.
fn require_any(api: &mut OpenApi, schemes: &[&str]) {
    for item in api.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            operation.security = Some(
                schemes
                    .iter()
                    .map(|s| SecurityRequirement::new(*s, Vec::<String>::new()))
                    .collect(),
            );
        }
    }
}

/// The two bearer schemes, as [`bearer`] reads them (`Authorization: Bearer <credential>`).
pub(crate) fn add_security_schemes(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Components::new);
    let mut branch = Http::new(HttpAuthScheme::Bearer);
    branch.bearer_format = Some("kh_ and 40 letters or digits".into());
    branch.description = Some(
        "The branch key HQ issued (POST /branches, kh-cloud branch create). Missing, unknown \
         or rotated-away: 401; a disabled branch's: 403. More than 20 failed attempts from one \
         address within 60 s: 429 with Retry-After."
            .into(),
    );
    components.add_security_scheme(BRANCH_KEY, SecurityScheme::Http(branch));
    let mut admin = Http::new(HttpAuthScheme::Bearer);
    admin.description = Some(
        "The server's KH_ADMIN_TOKEN (every admin endpoint answers 401 while it is unset). \
         Failed attempts count towards the same limit as branch keys."
            .into(),
    );
    components.add_security_scheme(ADMIN_TOKEN, SecurityScheme::Http(admin));
    let session = ApiKeyValue::with_description(
        crate::staff_auth::SESSION_COOKIE,
        "The session cookie POST /auth/login sets (HttpOnly, SameSite=Strict, Secure behind \
         TLS). A POST, PATCH or PUT made with it must echo the session's csrf_token in \
         X-KH-CSRF (403 otherwise); the role decides the rest (403 for a viewer's change).",
    );
    components.add_security_scheme(SESSION, SecurityScheme::ApiKey(ApiKey::Cookie(session)));
}

/// The admin token as a digest, so that comparing it takes the same time whatever its length
/// and however close a guess is.
pub struct AdminToken(Option<[u8; 32]>);

impl AdminToken {
    /// `None` or a blank token: admin endpoints are off.
    pub(crate) fn new(token: Option<&str>) -> Self {
        Self(
            token
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Sha256::digest(t.as_bytes()).into()),
        )
    }

    pub(crate) fn check(&self, presented: Option<&str>) -> Result<(), ApiError> {
        let Some(expected) = &self.0 else {
            return Err(ApiError::new(
                ErrorCode::Unauthorized,
                "The admin endpoints are turned off on this server: set KH_ADMIN_TOKEN to use them",
            ));
        };
        let matches = presented.is_some_and(|p| {
            let digest: [u8; 32] = Sha256::digest(p.as_bytes()).into();
            bool::from(digest.ct_eq(expected))
        });
        if matches {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::Unauthorized,
                "Send the admin token as 'Authorization: Bearer <token>'; this token is missing or wrong",
            ))
        }
    }
}

/// The branch whose key authenticated this request (set by [`require_branch`]).
#[derive(Debug)]
pub(crate) struct AuthedBranch(pub Branch);

impl<S: Send + Sync> FromRequestParts<S> for AuthedBranch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Branch>()
            .cloned()
            .map(AuthedBranch)
            .ok_or_else(|| {
                tracing::error!("a branch endpoint is routed without require_branch");
                ApiError::internal()
            })
    }
}

/// The header a branch database names itself with (DESIGN 8.2).
pub(crate) const DEVICE_HEADER: &str = "X-KH-Device";

/// `X-KH-Device`, when sent: a version-4 UUID, or 400 `validation_failed` naming the header.
#[derive(Debug)]
pub(crate) struct OptionalDevice(pub Option<DeviceId>);

impl<S: Send + Sync> FromRequestParts<S> for OptionalDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(DEVICE_HEADER) else {
            return Ok(Self(None));
        };
        let text = value.to_str().unwrap_or("");
        DeviceId::parse(DEVICE_HEADER, text.trim())
            .map(|d| Self(Some(d)))
            .map_err(|e| ValidationErrors(vec![e]).into())
    }
}

/// `X-KH-Device`, required (a pull must say which book asks).
#[derive(Debug)]
pub(crate) struct RequiredDevice(pub DeviceId);

impl<S: Send + Sync> FromRequestParts<S> for RequiredDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match OptionalDevice::from_request_parts(parts, state).await?.0 {
            Some(device) => Ok(Self(device)),
            None => Err(ValidationErrors(vec![
                FieldError::new(
                    DEVICE_HEADER,
                    "is required: the id of this branch database (a version-4 UUID)",
                )
                .rule(Rule::Required),
            ])
            .into()),
        }
    }
}

/// The header a pulling branch database says with how many rows from HQ it holds apart.
pub(crate) const HELD_HEADER: &str = "X-KH-Quarantined";

/// `X-KH-Quarantined`, when sent: a whole number from 0, or 400 `validation_failed` naming
/// the header.
#[derive(Debug)]
pub(crate) struct HeldRows(pub Option<u64>);

impl<S: Send + Sync> FromRequestParts<S> for HeldRows {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(HELD_HEADER) else {
            return Ok(Self(None));
        };
        value
            .to_str()
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .and_then(|n| u64::try_from(n).ok())
            .map(|n| Self(Some(n)))
            .ok_or_else(|| {
                ValidationErrors(vec![
                    FieldError::new(
                        HELD_HEADER,
                        "must be a whole number from 0: the rows from HQ this book holds apart",
                    )
                    .rule(Rule::Range {
                        min: 0,
                        max: i64::MAX,
                    }),
                ])
                .into()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(authorization: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, authorization.parse().unwrap());
        h
    }

    #[test]
    fn reads_only_bearer_credentials() {
        assert_eq!(bearer(&headers("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&headers("bearer   abc ")), Some("abc"));
        assert_eq!(bearer(&headers("Basic abc")), None);
        assert_eq!(bearer(&headers("Bearer ")), None);
        assert_eq!(bearer(&headers("abc")), None);
        assert_eq!(bearer(&HeaderMap::new()), None);
    }

    #[test]
    fn admin_token_must_be_set_and_match_exactly() {
        assert!(AdminToken::new(None).check(Some("x")).is_err());
        assert!(AdminToken::new(Some("  ")).check(Some("")).is_err());
        let token = AdminToken::new(Some("s3cret-token"));
        assert!(token.check(Some("s3cret-token")).is_ok());
        assert!(token.check(Some("s3cret-toke")).is_err());
        assert!(token.check(Some("S3CRET-TOKEN")).is_err());
        assert!(token.check(None).is_err());
    }
}

//! Signing in to the HQ console, and HQ's users (DESIGN 10.1).

use kh_domain::HqUser;
use kh_http_common::rfc3339;
use kh_ports::{AuditEntry, Session};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /auth/login`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignIn {
    #[schema(max_length = 254)]
    pub email: String,
    /// Never logged, never answered.
    #[schema(max_length = 128, format = Password)]
    pub password: String,
}

/// An HQ user as the console shows it (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserDto {
    #[schema(format = Uuid)]
    id: String,
    email: String,
    /// `owner`, `finance` or `viewer`.
    role: &'static str,
    created_at: String,
    #[schema(nullable)]
    disabled_at: Option<String>,
}

impl From<&HqUser> for UserDto {
    fn from(u: &HqUser) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.as_str().to_owned(),
            role: u.role.as_str(),
            created_at: rfc3339(u.created_at),
            disabled_at: u.disabled_at.map(rfc3339),
        }
    }
}

/// The signed-in user and the token its changes must echo in `X-KH-CSRF`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionDto {
    user: UserDto,
    /// Send it as `X-KH-CSRF` on every POST, PATCH and PUT made with the session.
    csrf_token: String,
    /// When the session ends unless used before.
    expires_at: String,
}

impl From<&Session> for SessionDto {
    fn from(s: &Session) -> Self {
        Self {
            user: UserDto::from(&s.user),
            csrf_token: s.csrf_token.clone(),
            expires_at: rfc3339(s.expires_at),
        }
    }
}

/// `POST /users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateUser {
    #[schema(max_length = 254)]
    pub email: String,
    /// `owner`, `finance` or `viewer`.
    pub role: String,
    /// 10 to 128 characters; stored only as its argon2id hash.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
}

/// `POST /users/{id}/reset-password`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetPassword {
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
}

/// One line of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditDto {
    at: String,
    actor: String,
    action: String,
    target: String,
}

impl From<&AuditEntry> for AuditDto {
    fn from(e: &AuditEntry) -> Self {
        Self {
            at: rfc3339(e.at),
            actor: e.actor.clone(),
            action: e.action.clone(),
            target: e.target.clone(),
        }
    }
}

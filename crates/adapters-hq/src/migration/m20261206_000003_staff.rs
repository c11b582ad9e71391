//! HQ staff (DESIGN 10.1): users with argon2id password hashes, server-side sessions (only the
//! token's SHA-256 is kept), sign-in failures for the lockout, and the audit log. All in the
//! database, so several `kh-cloud` processes share them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
CREATE TABLE hq_users (
    id            uuid        NOT NULL PRIMARY KEY,
    email         text        NOT NULL UNIQUE CHECK (char_length(email) BETWEEN 3 AND 254),
    role          text        NOT NULL CHECK (role IN ('owner', 'finance', 'viewer')),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz NULL
);
CREATE TABLE hq_sessions (
    token_hash bytea       NOT NULL PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES hq_users (id),
    csrf_token text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX ix_hq_sessions_user ON hq_sessions (user_id);
CREATE TABLE sign_in_failures (
    email text        NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX ix_sign_in_failures ON sign_in_failures (email, at);
CREATE TABLE audit_log (
    seq    bigserial   NOT NULL PRIMARY KEY,
    at     timestamptz NOT NULL,
    actor  text        NOT NULL,
    action text        NOT NULL,
    target text        NOT NULL
);
"#;

const SQLITE: &str = r#"
CREATE TABLE hq_users (
    id            BLOB NOT NULL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    role          TEXT NOT NULL CHECK (role IN ('owner', 'finance', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT NULL
);
CREATE TABLE hq_sessions (
    token_hash BLOB NOT NULL PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES hq_users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX ix_hq_sessions_user ON hq_sessions (user_id);
CREATE TABLE sign_in_failures (
    email TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX ix_sign_in_failures ON sign_in_failures (email, at);
CREATE TABLE audit_log (
    seq    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at     TEXT    NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE audit_log;
DROP TABLE sign_in_failures;
DROP TABLE hq_sessions;
DROP TABLE hq_users;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

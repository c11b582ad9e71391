//! Branches, every branch's entries, and per-branch per-day totals.
//!
//! Written as SQL per backend: partial unique indexes and CHECK constraints are the point.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
CREATE TABLE branches (
    id           uuid        NOT NULL PRIMARY KEY,
    code         varchar(10) NOT NULL UNIQUE CHECK (char_length(code) BETWEEN 1 AND 10),
    name         varchar(100) NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    -- SHA-256 of the branch key; the key itself is shown once and never stored.
    api_key_hash bytea       NOT NULL UNIQUE CHECK (octet_length(api_key_hash) = 32),
    created_at   timestamptz NOT NULL,
    disabled_at  timestamptz NULL,
    last_seen_at timestamptz NULL
);

CREATE TABLE transactions (
    id          uuid        NOT NULL PRIMARY KEY,
    branch_id   uuid        NOT NULL REFERENCES branches (id),
    type        text        NOT NULL CHECK (type IN ('IN', 'OUT')),
    category    varchar(50) NOT NULL CHECK (char_length(category) BETWEEN 1 AND 50),
    amount      bigint      NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000),
    description text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
    occurred_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    reverses_id uuid        NULL REFERENCES transactions (id),
    received_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_transactions_reverses_id ON transactions (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ix_transactions_order ON transactions (occurred_at DESC, created_at DESC, id DESC);
CREATE INDEX ix_transactions_branch_order ON transactions (branch_id, occurred_at DESC, created_at DESC, id DESC);

CREATE TABLE daily_totals (
    branch_id     uuid   NOT NULL REFERENCES branches (id),
    business_date date   NOT NULL,
    total_in      bigint NOT NULL DEFAULT 0,
    total_out     bigint NOT NULL DEFAULT 0,
    count_in      bigint NOT NULL DEFAULT 0,
    count_out     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (branch_id, business_date)
);
CREATE INDEX ix_daily_totals_date ON daily_totals (business_date);

CREATE TABLE hq_meta (
    key   text NOT NULL PRIMARY KEY,
    value text NOT NULL
);
"#;

const SQLITE: &str = r#"
CREATE TABLE branches (
    id           BLOB NOT NULL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 10),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    api_key_hash BLOB NOT NULL UNIQUE CHECK (length(api_key_hash) = 32),
    -- Times are RFC 3339 UTC text with at most millisecond precision, which sorts correctly.
    created_at   TEXT NOT NULL,
    disabled_at  TEXT NULL,
    last_seen_at TEXT NULL
);

CREATE TABLE transactions (
    id          BLOB    NOT NULL PRIMARY KEY,
    branch_id   BLOB    NOT NULL REFERENCES branches (id),
    type        TEXT    NOT NULL CHECK (type IN ('IN', 'OUT')),
    category    TEXT    NOT NULL CHECK (length(category) BETWEEN 1 AND 50),
    amount      INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount BETWEEN 1 AND 1000000000000),
    description TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    occurred_at TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    reverses_id BLOB    NULL REFERENCES transactions (id),
    received_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_transactions_reverses_id ON transactions (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ix_transactions_order ON transactions (occurred_at DESC, created_at DESC, id DESC);
CREATE INDEX ix_transactions_branch_order ON transactions (branch_id, occurred_at DESC, created_at DESC, id DESC);

CREATE TABLE daily_totals (
    branch_id     BLOB    NOT NULL REFERENCES branches (id),
    business_date TEXT    NOT NULL,
    total_in      INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_in) = 'integer'),
    total_out     INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_out) = 'integer'),
    count_in      INTEGER NOT NULL DEFAULT 0,
    count_out     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (branch_id, business_date)
) WITHOUT ROWID;
CREATE INDEX ix_daily_totals_date ON daily_totals (business_date);

CREATE TABLE hq_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

const DOWN: &str = r#"
DROP TABLE hq_meta;
DROP TABLE daily_totals;
DROP TABLE transactions;
DROP TABLE branches;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES,
            DbBackend::Sqlite => SQLITE,
            other => return Err(DbErr::Custom(format!("HQ does not support {other:?}"))),
        };
        manager
            .get_connection()
            .execute_unprepared(sql)
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(DOWN)
            .await
            .map(|_| ())
    }
}

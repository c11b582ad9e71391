//! The branch ledger: entries, their per-day aggregates, and the sync settings.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Written as SQL because SQLite's partial indexes and table CHECKs are the point here.
const UP: &str = r#"
CREATE TABLE transactions (
    id          BLOB    NOT NULL PRIMARY KEY,
    branch_id   BLOB    NULL,
    type        TEXT    NOT NULL CHECK (type IN ('IN', 'OUT')),
    category    TEXT    NOT NULL CHECK (length(category) BETWEEN 1 AND 50),
    amount      INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount BETWEEN 1 AND 1000000000000),
    description TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    -- Times are INTEGER milliseconds since the Unix epoch, UTC.
    occurred_at INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    reverses_id BLOB    NULL REFERENCES transactions (id),
    is_synced   INTEGER NOT NULL DEFAULT 0 CHECK (is_synced IN (0, 1)),
    synced_at   INTEGER NULL,
    sync_error  TEXT    NULL
);

-- A transaction can be voided once: at most one row may reverse a given id.
CREATE UNIQUE INDEX ux_transactions_reverses_id ON transactions (reverses_id)
    WHERE reverses_id IS NOT NULL;

-- The list order (newest first, ties by created_at then id); also serves date-range filters.
CREATE INDEX ix_transactions_order ON transactions (occurred_at DESC, created_at DESC, id DESC);

-- The outbox: only unsynced, unquarantined rows, oldest first. Stays tiny once synced.
CREATE INDEX ix_transactions_outbox ON transactions (created_at, id)
    WHERE is_synced = 0 AND sync_error IS NULL;

-- Quarantined rows, for status counts and retry.
CREATE INDEX ix_transactions_rejected ON transactions (created_at)
    WHERE sync_error IS NOT NULL;

-- Rows entered before activation, to stamp the branch cheaply.
CREATE INDEX ix_transactions_no_branch ON transactions (created_at)
    WHERE branch_id IS NULL;

-- Totals per business date, maintained in the same transaction as every insert, so the
-- dashboard reads a few hundred rows instead of scanning the ledger. typeof() checks stop
-- SQLite from silently turning an overflowing sum into a float.
CREATE TABLE daily_totals (
    business_date TEXT    NOT NULL PRIMARY KEY,
    total_in      INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_in) = 'integer'),
    total_out     INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_out) = 'integer'),
    count_in      INTEGER NOT NULL DEFAULT 0,
    count_out     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE daily_category_totals (
    business_date TEXT    NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('IN', 'OUT')),
    category      TEXT    NOT NULL,
    total         INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total) = 'integer'),
    count         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (business_date, type, category)
) WITHOUT ROWID;

-- Facts about the ledger itself, e.g. the time zone the aggregates were computed in.
CREATE TABLE ledger_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The single row of sync settings and the worker's last activity.
CREATE TABLE sync_settings (
    id              INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    cloud_url       TEXT    NULL,
    api_key         TEXT    NULL,
    branch_id       BLOB    NULL,
    branch_code     TEXT    NULL,
    branch_name     TEXT    NULL,
    link_status     TEXT    NOT NULL DEFAULT 'offline',
    last_sync_at    INTEGER NULL,
    last_attempt_at INTEGER NULL,
    last_error      TEXT    NULL
);
INSERT INTO sync_settings (id) VALUES (1);
"#;

const DOWN: &str = r#"
DROP TABLE sync_settings;
DROP TABLE ledger_meta;
DROP TABLE daily_category_totals;
DROP TABLE daily_totals;
DROP TABLE transactions;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(UP)
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

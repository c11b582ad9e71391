//! HQ's lists on the branch (DESIGN 9): the payment channel of every entry (id and the name it
//! had), the copy of HQ's categories and channels, and totals per day and channel.
//!
//! Every entry older than channels went through cash: the well-known cash channel's id (the
//! same on every HQ and every PC, `kh_domain::CASH_CHANNEL_ID`) under its first name, Tunai.
//! Their per-channel totals are therefore the per-day totals, copied.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE transactions ADD COLUMN channel_id BLOB NOT NULL
    DEFAULT x'0b8e7c2a6f1d4c3e9a572d4f8e1b6c01';
ALTER TABLE transactions ADD COLUMN channel_name TEXT NOT NULL DEFAULT 'Tunai'
    CHECK (length(channel_name) BETWEEN 1 AND 50);

-- The history filtered by channel, newest first.
CREATE INDEX ix_transactions_channel ON transactions (channel_id, occurred_at);

CREATE TABLE daily_channel_totals (
    business_date    TEXT    NOT NULL,
    channel_id       BLOB    NOT NULL,
    total_in         INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_in) = 'integer'),
    total_out        INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_out) = 'integer'),
    count_in         INTEGER NOT NULL DEFAULT 0,
    count_out        INTEGER NOT NULL DEFAULT 0,
    voided_in        INTEGER NOT NULL DEFAULT 0 CHECK (typeof(voided_in) = 'integer'),
    voided_out       INTEGER NOT NULL DEFAULT 0 CHECK (typeof(voided_out) = 'integer'),
    voided_count_in  INTEGER NOT NULL DEFAULT 0,
    voided_count_out INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (business_date, channel_id)
) WITHOUT ROWID;

INSERT INTO daily_channel_totals (business_date, channel_id, total_in, total_out, count_in,
    count_out, voided_in, voided_out, voided_count_in, voided_count_out)
SELECT business_date, x'0b8e7c2a6f1d4c3e9a572d4f8e1b6c01', total_in, total_out, count_in,
    count_out, voided_in, voided_out, voided_count_in, voided_count_out FROM daily_totals;

-- HQ's lists as last received; empty (the defaults) until HQ sends them.
CREATE TABLE list_channels (
    id     BLOB    NOT NULL PRIMARY KEY,
    name   TEXT    NOT NULL,
    kind   TEXT    NOT NULL CHECK (kind IN ('cash', 'non_cash')),
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE TABLE list_categories (
    id     BLOB    NOT NULL PRIMARY KEY,
    name   TEXT    NOT NULL,
    type   TEXT    NOT NULL CHECK (type IN ('IN', 'OUT', 'BOTH')),
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);
-- The version of HQ's lists held (0: never received) and HQ's setting on new categories.
ALTER TABLE sync_settings ADD COLUMN lists_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_settings ADD COLUMN allow_new_categories INTEGER NOT NULL DEFAULT 1
    CHECK (allow_new_categories IN (0, 1));
"#;

const DOWN: &str = r#"
ALTER TABLE sync_settings DROP COLUMN allow_new_categories;
ALTER TABLE sync_settings DROP COLUMN lists_version;
DROP TABLE list_categories;
DROP TABLE list_channels;
DROP TABLE daily_channel_totals;
DROP INDEX ix_transactions_channel;
ALTER TABLE transactions DROP COLUMN channel_name;
ALTER TABLE transactions DROP COLUMN channel_id;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN).await
    }
}

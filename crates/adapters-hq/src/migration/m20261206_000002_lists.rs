//! HQ's lists (DESIGN 9): categories and payment channels, versioned so a branch fetches only
//! what changed, and the payment channel (id and name then) of every entry.
//!
//! Every entry stored before channels went through cash: the well-known cash channel's id
//! (`kh_domain::CASH_CHANNEL_ID`, the same on every HQ and PC) under its first name, Tunai.
//! The lists themselves are filled with the defaults at start-up (`HqStore::migrate`), from the
//! domain's one copy of them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
ALTER TABLE transactions
    ADD COLUMN channel_id uuid NOT NULL DEFAULT '0b8e7c2a-6f1d-4c3e-9a57-2d4f8e1b6c01',
    ADD COLUMN channel_name text NOT NULL DEFAULT 'Tunai'
        CHECK (char_length(channel_name) BETWEEN 1 AND 50);

-- `version` is the lists' version when the item last changed; `key` is the name's spelling-
-- free form, unique within each list.
CREATE TABLE list_categories (
    id         uuid        NOT NULL PRIMARY KEY,
    name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    key        text        NOT NULL UNIQUE,
    type       text        NOT NULL CHECK (type IN ('IN', 'OUT', 'BOTH')),
    active     boolean     NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX ix_list_categories_version ON list_categories (version);
CREATE TABLE list_channels (
    id         uuid        NOT NULL PRIMARY KEY,
    name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    key        text        NOT NULL UNIQUE,
    kind       text        NOT NULL CHECK (kind IN ('cash', 'non_cash')),
    active     boolean     NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX ix_list_channels_version ON list_channels (version);
-- One row: the lists' version (every change takes the next one while holding this row, so
-- versions become visible in order) and whether branches may type new categories.
CREATE TABLE list_state (
    id                   integer NOT NULL PRIMARY KEY CHECK (id = 1),
    version              bigint  NOT NULL,
    allow_new_categories boolean NOT NULL
);
"#;

const SQLITE: &str = r#"
ALTER TABLE transactions ADD COLUMN channel_id BLOB NOT NULL
    DEFAULT x'0b8e7c2a6f1d4c3e9a572d4f8e1b6c01';
ALTER TABLE transactions ADD COLUMN channel_name TEXT NOT NULL DEFAULT 'Tunai'
    CHECK (length(channel_name) BETWEEN 1 AND 50);
CREATE TABLE list_categories (
    id         BLOB    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    key        TEXT    NOT NULL UNIQUE,
    type       TEXT    NOT NULL CHECK (type IN ('IN', 'OUT', 'BOTH')),
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX ix_list_categories_version ON list_categories (version);
CREATE TABLE list_channels (
    id         BLOB    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    key        TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL CHECK (kind IN ('cash', 'non_cash')),
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX ix_list_channels_version ON list_channels (version);
CREATE TABLE list_state (
    id                   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version              INTEGER NOT NULL,
    allow_new_categories INTEGER NOT NULL CHECK (allow_new_categories IN (0, 1))
);
"#;

const DOWN_POSTGRES: &str = r#"
DROP TABLE list_state;
DROP TABLE list_channels;
DROP TABLE list_categories;
ALTER TABLE transactions DROP COLUMN channel_name, DROP COLUMN channel_id;
"#;

const DOWN_SQLITE: &str = r#"
DROP TABLE list_state;
DROP TABLE list_channels;
DROP TABLE list_categories;
ALTER TABLE transactions DROP COLUMN channel_name;
ALTER TABLE transactions DROP COLUMN channel_id;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN_POSTGRES, Some(DOWN_SQLITE)).await
    }
}

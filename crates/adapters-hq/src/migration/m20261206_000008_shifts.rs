//! The branches' cash shifts (DESIGN 11), as their PCs report them: stored once when opened,
//! their close written once when it arrives, never changed after.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
CREATE TABLE shifts (
    id               uuid        NOT NULL PRIMARY KEY,
    branch_id        uuid        NOT NULL REFERENCES branches (id),
    device_id        uuid,
    business_date    date        NOT NULL,
    opened_at        timestamptz NOT NULL,
    opened_by        uuid,
    opened_by_name   text,
    opening_float    bigint      NOT NULL CHECK (opening_float >= 0),
    suggested_float  bigint,
    opening_note     text,
    cash_in          bigint      NOT NULL CHECK (cash_in >= 0),
    cash_out         bigint      NOT NULL CHECK (cash_out >= 0),
    entries          bigint      NOT NULL CHECK (entries >= 0),
    closed_at        timestamptz,
    closed_by        uuid,
    closed_by_name   text,
    counts           text,
    expected         bigint,
    counted          bigint      CHECK (counted >= 0),
    close_note       text,
    approved_by      uuid,
    approved_by_name text,
    received_at      timestamptz NOT NULL,
    CHECK ((closed_at IS NULL) = (counted IS NULL)),
    CHECK ((closed_at IS NULL) = (expected IS NULL)),
    CHECK ((closed_at IS NULL) = (counts IS NULL))
);
CREATE INDEX ix_shifts_branch_day ON shifts (branch_id, business_date, opened_at);
CREATE INDEX ix_shifts_day ON shifts (business_date) WHERE closed_at IS NOT NULL;
CREATE INDEX ix_shifts_open ON shifts (opened_at) WHERE closed_at IS NULL;
CREATE INDEX ix_shifts_closed ON shifts (closed_at) WHERE closed_at IS NOT NULL;
"#;

const SQLITE: &str = r#"
CREATE TABLE shifts (
    id               BLOB    NOT NULL PRIMARY KEY,
    branch_id        BLOB    NOT NULL REFERENCES branches (id),
    device_id        BLOB,
    business_date    TEXT    NOT NULL,
    opened_at        TEXT    NOT NULL,
    opened_by        BLOB,
    opened_by_name   TEXT,
    opening_float    INTEGER NOT NULL CHECK (opening_float >= 0),
    suggested_float  INTEGER,
    opening_note     TEXT,
    cash_in          INTEGER NOT NULL CHECK (cash_in >= 0),
    cash_out         INTEGER NOT NULL CHECK (cash_out >= 0),
    entries          INTEGER NOT NULL CHECK (entries >= 0),
    closed_at        TEXT,
    closed_by        BLOB,
    closed_by_name   TEXT,
    counts           TEXT,
    expected         INTEGER,
    counted          INTEGER CHECK (counted >= 0),
    close_note       TEXT,
    approved_by      BLOB,
    approved_by_name TEXT,
    received_at      TEXT    NOT NULL,
    CHECK ((closed_at IS NULL) = (counted IS NULL)),
    CHECK ((closed_at IS NULL) = (expected IS NULL)),
    CHECK ((closed_at IS NULL) = (counts IS NULL))
);
CREATE INDEX ix_shifts_branch_day ON shifts (branch_id, business_date, opened_at);
CREATE INDEX ix_shifts_day ON shifts (business_date) WHERE closed_at IS NOT NULL;
CREATE INDEX ix_shifts_open ON shifts (opened_at) WHERE closed_at IS NULL;
CREATE INDEX ix_shifts_closed ON shifts (closed_at) WHERE closed_at IS NOT NULL;
"#;

const DOWN: &str = "DROP TABLE shifts;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

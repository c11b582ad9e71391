//! Cash shifts on the PC (DESIGN 11): one open at a time (a unique index over the open ones),
//! a close written once (a trigger refuses any change to a closed shift), and every entry
//! recorded while a shift is open belongs to it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
CREATE TABLE shifts (
    id               BLOB    NOT NULL PRIMARY KEY,
    opened_at        INTEGER NOT NULL,
    opened_by        BLOB,
    opened_by_name   TEXT,
    opening_float    INTEGER NOT NULL CHECK (opening_float >= 0),
    suggested_float  INTEGER,
    opening_note     TEXT,
    closed_at        INTEGER,
    closed_by        BLOB,
    closed_by_name   TEXT,
    counts           TEXT,
    expected         INTEGER,
    counted          INTEGER CHECK (counted >= 0),
    close_note       TEXT,
    approved_by      BLOB,
    approved_by_name TEXT,
    CHECK ((closed_at IS NULL) = (counted IS NULL)),
    CHECK ((closed_at IS NULL) = (expected IS NULL)),
    CHECK ((closed_at IS NULL) = (counts IS NULL))
);
CREATE UNIQUE INDEX ux_shifts_one_open ON shifts ((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE INDEX ix_shifts_opened ON shifts (opened_at);
CREATE TRIGGER shifts_close_once BEFORE UPDATE ON shifts WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed shift never changes');
END;
CREATE TRIGGER shifts_never_deleted BEFORE DELETE ON shifts
BEGIN
    SELECT RAISE(ABORT, 'a shift is never deleted');
END;
ALTER TABLE transactions ADD COLUMN shift_id BLOB;
CREATE INDEX ix_transactions_shift ON transactions (shift_id) WHERE shift_id IS NOT NULL;
"#;

const DOWN: &str = r#"
DROP INDEX ix_transactions_shift;
ALTER TABLE transactions DROP COLUMN shift_id;
DROP TRIGGER shifts_never_deleted;
DROP TRIGGER shifts_close_once;
DROP TABLE shifts;
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

//! Two-way sync on the branch (DESIGN 8.2, 8.3): the book's device id, where it stands in its
//! branch's feed at HQ, and pulled rows it could not take.
//!
//! The pull position belongs to the branch the PC is activated for: a trigger starts it over
//! whenever the branch changes, so a PC moved to another branch pulls that branch's history
//! from its start.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE sync_settings ADD COLUMN device_id BLOB NULL;
-- HQ's epoch as last seen (DESIGN 8.4); a new one means HQ lost rows: send them all again.
ALTER TABLE sync_settings ADD COLUMN hq_epoch TEXT NULL;
-- The `seq` of the last row of the branch's feed stored here (0: none yet).
ALTER TABLE sync_settings ADD COLUMN pull_after INTEGER NOT NULL DEFAULT 0;
-- Rows taken from the feed since it started over, and HQ's count of the branch's rows.
ALTER TABLE sync_settings ADD COLUMN pull_restored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_settings ADD COLUMN pull_total INTEGER NULL;
-- Whether the book has caught up with the feed once since it started over (until then the
-- PC is restoring).
ALTER TABLE sync_settings ADD COLUMN pull_caught_up INTEGER NOT NULL DEFAULT 0
    CHECK (pull_caught_up IN (0, 1));

CREATE TRIGGER tr_sync_settings_branch_changed AFTER UPDATE OF branch_id ON sync_settings
WHEN OLD.branch_id IS NOT NEW.branch_id
BEGIN
    UPDATE sync_settings SET pull_after = 0, pull_restored = 0, pull_total = NULL,
        pull_caught_up = 0 WHERE id = NEW.id;
END;

-- Rows of the feed this book could not take (invalid here, or contradicting a row it holds):
-- kept with the reason, never dropped, never blocking the rows behind them.
CREATE TABLE pull_quarantine (
    seq         INTEGER NOT NULL PRIMARY KEY,
    id          TEXT    NOT NULL,
    reason_code TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    row_json    TEXT    NOT NULL,
    at          INTEGER NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE pull_quarantine;
DROP TRIGGER tr_sync_settings_branch_changed;
ALTER TABLE sync_settings DROP COLUMN pull_caught_up;
ALTER TABLE sync_settings DROP COLUMN pull_total;
ALTER TABLE sync_settings DROP COLUMN pull_restored;
ALTER TABLE sync_settings DROP COLUMN pull_after;
ALTER TABLE sync_settings DROP COLUMN hq_epoch;
ALTER TABLE sync_settings DROP COLUMN device_id;
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

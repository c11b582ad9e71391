//! What HQ said about each part of each shift (its opening, its close): a part answered for is
//! not sent again. Kept apart from `shifts`, whose closed rows never change; rows here are
//! only ever added.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
CREATE TABLE shift_sync (
    shift_id       BLOB    NOT NULL REFERENCES shifts (id),
    part           TEXT    NOT NULL CHECK (part IN ('open', 'close')),
    answered_at    INTEGER NOT NULL,
    refused_code   TEXT,
    refused_reason TEXT,
    PRIMARY KEY (shift_id, part)
) WITHOUT ROWID;
CREATE TRIGGER shift_sync_never_changes BEFORE UPDATE ON shift_sync
BEGIN
    SELECT RAISE(ABORT, 'an answer from HQ is never changed');
END;
"#;

const DOWN: &str = r#"
DROP TRIGGER shift_sync_never_changes;
DROP TABLE shift_sync;
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

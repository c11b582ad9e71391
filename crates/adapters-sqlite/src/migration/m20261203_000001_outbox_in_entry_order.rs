//! The outbox leaves in the order entries were made (rowid order), not by `created_at`: a void
//! made after the PC's clock was set back has an earlier `created_at` than its original, and
//! must still leave after it (HQ refuses a void whose original it does not hold yet).
//!
//! Index entries are sorted by key and then rowid, so with the key constant (`is_synced = 0`)
//! this partial index yields the pending rows in rowid order without a sort. VACUUM (and
//! `VACUUM INTO`) may renumber rowids of a table without an INTEGER PRIMARY KEY, but it copies
//! rows in rowid order, so the order this relies on survives it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
CREATE INDEX ix_transactions_outbox_seq ON transactions (is_synced)
    WHERE is_synced = 0 AND sync_error IS NULL;
DROP INDEX ix_transactions_outbox;
"#;

const DOWN: &str = r#"
CREATE INDEX ix_transactions_outbox ON transactions (created_at, id)
    WHERE is_synced = 0 AND sync_error IS NULL;
DROP INDEX ix_transactions_outbox_seq;
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

//! HQ's refusal of a row is kept as two columns, `sync_error_code` (HQ's stable code, e.g.
//! `unknown_reference`) and `sync_error_reason` (its words), instead of one `sync_error` text.
//! The code is matched exactly (a void waiting for its original clears by its code), and the
//! reason can never be mistaken for a code.
//!
//! Rows refused before this kept `code: reason` in `sync_error`; older ones kept only the
//! reason. Both are split here: text without a leading `code: ` keeps an empty code and its
//! whole text as the reason. A row is rejected exactly when `sync_error_code` is not NULL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE transactions ADD COLUMN sync_error_code TEXT NULL;
ALTER TABLE transactions ADD COLUMN sync_error_reason TEXT NULL;

UPDATE transactions
   SET sync_error_code = CASE
           WHEN instr(sync_error, ': ') > 1
            AND instr(substr(sync_error, 1, instr(sync_error, ': ') - 1), ' ') = 0
           THEN substr(sync_error, 1, instr(sync_error, ': ') - 1)
           ELSE '' END,
       sync_error_reason = CASE
           WHEN instr(sync_error, ': ') > 1
            AND instr(substr(sync_error, 1, instr(sync_error, ': ') - 1), ' ') = 0
           THEN substr(sync_error, instr(sync_error, ': ') + 2)
           ELSE sync_error END
 WHERE sync_error IS NOT NULL;

DROP INDEX ix_transactions_outbox_seq;
DROP INDEX ix_transactions_rejected;
ALTER TABLE transactions DROP COLUMN sync_error;

CREATE INDEX ix_transactions_outbox_seq ON transactions (is_synced)
    WHERE is_synced = 0 AND sync_error_code IS NULL;
CREATE INDEX ix_transactions_rejected ON transactions (created_at)
    WHERE sync_error_code IS NOT NULL;
"#;

const DOWN: &str = r#"
ALTER TABLE transactions ADD COLUMN sync_error TEXT NULL;
UPDATE transactions
   SET sync_error = CASE WHEN sync_error_code = '' THEN sync_error_reason
                         ELSE sync_error_code || ': ' || sync_error_reason END
 WHERE sync_error_code IS NOT NULL;
DROP INDEX ix_transactions_outbox_seq;
DROP INDEX ix_transactions_rejected;
ALTER TABLE transactions DROP COLUMN sync_error_code;
ALTER TABLE transactions DROP COLUMN sync_error_reason;
CREATE INDEX ix_transactions_outbox_seq ON transactions (is_synced)
    WHERE is_synced = 0 AND sync_error IS NULL;
CREATE INDEX ix_transactions_rejected ON transactions (created_at)
    WHERE sync_error IS NOT NULL;
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

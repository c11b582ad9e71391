//! A voided entry and its void leave the effective totals and counts (they are a cancelled
//! pair) and are summed apart, per business date and per category. The columns start at zero
//! and the time-zone marker is dropped, so the next start rebuilds every aggregate from the
//! ledger with the new rule.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE daily_totals ADD COLUMN voided_in INTEGER NOT NULL DEFAULT 0
    CHECK (typeof(voided_in) = 'integer');
ALTER TABLE daily_totals ADD COLUMN voided_out INTEGER NOT NULL DEFAULT 0
    CHECK (typeof(voided_out) = 'integer');
ALTER TABLE daily_totals ADD COLUMN voided_count_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_totals ADD COLUMN voided_count_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_category_totals ADD COLUMN voided_count INTEGER NOT NULL DEFAULT 0;
DELETE FROM ledger_meta WHERE key = 'aggregates_timezone';
"#;

const DOWN: &str = r#"
ALTER TABLE daily_totals DROP COLUMN voided_in;
ALTER TABLE daily_totals DROP COLUMN voided_out;
ALTER TABLE daily_totals DROP COLUMN voided_count_in;
ALTER TABLE daily_totals DROP COLUMN voided_count_out;
ALTER TABLE daily_category_totals DROP COLUMN voided_count;
DELETE FROM ledger_meta WHERE key = 'aggregates_timezone';
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

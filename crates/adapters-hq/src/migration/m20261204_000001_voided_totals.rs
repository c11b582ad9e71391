//! A voided entry and its void leave the effective per-day totals and counts (they are a
//! cancelled pair) and are summed apart. The columns start at zero and the time-zone marker is
//! dropped, so the next start rebuilds the totals from the stored rows with the new rule.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
ALTER TABLE daily_totals
    ADD COLUMN voided_in bigint NOT NULL DEFAULT 0,
    ADD COLUMN voided_out bigint NOT NULL DEFAULT 0,
    ADD COLUMN voided_count_in bigint NOT NULL DEFAULT 0,
    ADD COLUMN voided_count_out bigint NOT NULL DEFAULT 0;
DELETE FROM hq_meta WHERE key = 'aggregates_timezone';
"#;

const SQLITE: &str = r#"
ALTER TABLE daily_totals ADD COLUMN voided_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_totals ADD COLUMN voided_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_totals ADD COLUMN voided_count_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_totals ADD COLUMN voided_count_out INTEGER NOT NULL DEFAULT 0;
DELETE FROM hq_meta WHERE key = 'aggregates_timezone';
"#;

const DOWN: &str = r#"
ALTER TABLE daily_totals DROP COLUMN voided_in;
ALTER TABLE daily_totals DROP COLUMN voided_out;
ALTER TABLE daily_totals DROP COLUMN voided_count_in;
ALTER TABLE daily_totals DROP COLUMN voided_count_out;
DELETE FROM hq_meta WHERE key = 'aggregates_timezone';
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

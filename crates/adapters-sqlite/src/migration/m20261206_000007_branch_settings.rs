//! The settings HQ sends every branch (DESIGN 9): the cash difference threshold, the blind
//! close, and when the business day starts (minutes after local midnight).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE sync_settings ADD COLUMN cash_difference_threshold INTEGER NOT NULL DEFAULT 10000
    CHECK (cash_difference_threshold BETWEEN 0 AND 10000000);
ALTER TABLE sync_settings ADD COLUMN blind_close INTEGER NOT NULL DEFAULT 0
    CHECK (blind_close IN (0, 1));
ALTER TABLE sync_settings ADD COLUMN day_starts_at INTEGER NOT NULL DEFAULT 0
    CHECK (day_starts_at BETWEEN 0 AND 719);
"#;

const DOWN: &str = r#"
ALTER TABLE sync_settings DROP COLUMN day_starts_at;
ALTER TABLE sync_settings DROP COLUMN blind_close;
ALTER TABLE sync_settings DROP COLUMN cash_difference_threshold;
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

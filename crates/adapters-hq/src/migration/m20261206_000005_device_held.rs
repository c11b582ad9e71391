//! Rows from HQ a branch PC could not take into its book (its pull quarantine), as the PC
//! last reported them, so the console can say which PC needs a look (DESIGN 12).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE devices ADD COLUMN pull_quarantined bigint NOT NULL DEFAULT 0 CHECK (pull_quarantined >= 0);
"#;

const DOWN: &str = "ALTER TABLE devices DROP COLUMN pull_quarantined;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, UP, None).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

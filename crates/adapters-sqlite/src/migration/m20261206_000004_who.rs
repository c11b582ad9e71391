//! Who did it (DESIGN 10.2): every entry and void keeps the signed-in member who recorded it
//! and the supervisor who approved it, each with the name they had then. Entries made before
//! staff existed (or on a PC whose branch has none) have neither.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
ALTER TABLE transactions ADD COLUMN recorded_by BLOB;
ALTER TABLE transactions ADD COLUMN recorded_by_name TEXT
    CHECK ((recorded_by IS NULL) = (recorded_by_name IS NULL));
ALTER TABLE transactions ADD COLUMN approved_by BLOB;
ALTER TABLE transactions ADD COLUMN approved_by_name TEXT
    CHECK ((approved_by IS NULL) = (approved_by_name IS NULL));
-- The history filtered by who recorded, newest first.
CREATE INDEX ix_transactions_recorded_by ON transactions (recorded_by, occurred_at)
    WHERE recorded_by IS NOT NULL;
"#;

const DOWN: &str = r#"
DROP INDEX ix_transactions_recorded_by;
ALTER TABLE transactions DROP COLUMN approved_by_name;
ALTER TABLE transactions DROP COLUMN approved_by;
ALTER TABLE transactions DROP COLUMN recorded_by_name;
ALTER TABLE transactions DROP COLUMN recorded_by;
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

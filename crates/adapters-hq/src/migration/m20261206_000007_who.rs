//! Who did it (DESIGN 10.2): the member who recorded each entry and the supervisor who
//! approved it, with their names then, as the branch pushed them. Older rows have neither.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
ALTER TABLE transactions
    ADD COLUMN recorded_by uuid,
    ADD COLUMN recorded_by_name text,
    ADD COLUMN approved_by uuid,
    ADD COLUMN approved_by_name text,
    ADD CONSTRAINT transactions_recorded_by_named CHECK ((recorded_by IS NULL) = (recorded_by_name IS NULL)),
    ADD CONSTRAINT transactions_approved_by_named CHECK ((approved_by IS NULL) = (approved_by_name IS NULL));
CREATE INDEX ix_transactions_recorded_by ON transactions (recorded_by, occurred_at)
    WHERE recorded_by IS NOT NULL;
"#;

const SQLITE: &str = r#"
ALTER TABLE transactions ADD COLUMN recorded_by BLOB;
ALTER TABLE transactions ADD COLUMN recorded_by_name TEXT
    CHECK ((recorded_by IS NULL) = (recorded_by_name IS NULL));
ALTER TABLE transactions ADD COLUMN approved_by BLOB;
ALTER TABLE transactions ADD COLUMN approved_by_name TEXT
    CHECK ((approved_by IS NULL) = (approved_by_name IS NULL));
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
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

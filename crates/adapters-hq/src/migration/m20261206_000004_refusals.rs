//! Rows HQ refused from each branch (they wait quarantined on its PC), so the console can say
//! which branches need a look (DESIGN 12).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
CREATE TABLE branch_refusals (
    branch_id       uuid        NOT NULL PRIMARY KEY REFERENCES branches (id),
    refused_count   bigint      NOT NULL CHECK (refused_count >= 0),
    last_refused_at timestamptz NOT NULL
);
"#;

const SQLITE: &str = r#"
CREATE TABLE branch_refusals (
    branch_id       BLOB    NOT NULL PRIMARY KEY REFERENCES branches (id),
    refused_count   INTEGER NOT NULL CHECK (refused_count >= 0),
    last_refused_at TEXT    NOT NULL
);
"#;

const DOWN: &str = "DROP TABLE branch_refusals;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

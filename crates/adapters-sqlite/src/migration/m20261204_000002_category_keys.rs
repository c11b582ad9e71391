//! Categories compare by their key (lower case, one space between words): `categories` holds
//! the first spelling of each key, the one lists and totals show, and `category_spellings`
//! every spelling stored, so a filter finds the entries of them all. The time-zone marker is
//! dropped, so the next start fills both from the ledger in entry order and recounts the
//! category totals under the first spellings.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
CREATE TABLE categories (
    key  TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE category_spellings (
    spelling TEXT PRIMARY KEY NOT NULL,
    key      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX category_spellings_by_key ON category_spellings (key);
DELETE FROM ledger_meta WHERE key = 'aggregates_timezone';
"#;

const DOWN: &str = r#"
DROP TABLE category_spellings;
DROP TABLE categories;
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

//! Categories compare by their key (lower case, one space between words): `category_spellings`
//! maps every spelling HQ stores to its key, so a filter on one spelling finds the rows of
//! them all. The keys of the spellings already stored are computed here, by the same rule the
//! running server uses.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
CREATE TABLE category_spellings (
    spelling varchar(50) PRIMARY KEY NOT NULL,
    key      varchar(50) NOT NULL
);
CREATE INDEX category_spellings_by_key ON category_spellings (key);
"#;

const DOWN: &str = "DROP TABLE category_spellings;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, UP, None).await?;
        let conn = manager.get_connection();
        let backend = conn.get_database_backend();
        let rows = conn
            .query_all_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT DISTINCT category FROM transactions",
            ))
            .await?;
        let stored = rows
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<Vec<_>, _>>()?;
        crate::spellings::store(conn, stored.iter().map(String::as_str)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

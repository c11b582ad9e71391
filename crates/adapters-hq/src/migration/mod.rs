//! HQ schema migrations, one set for both backends. A shipped migration is never edited.

use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use sea_orm_migration::{MigrationTrait, MigratorTrait, SchemaManager};

mod m20251201_000001_hq;
mod m20261204_000001_voided_totals;

/// Runs a migration written as plain SQL, one text per backend (`sqlite` is `None` when the
/// PostgreSQL text suits both).
async fn run_sql(
    manager: &SchemaManager<'_>,
    postgres: &str,
    sqlite: Option<&str>,
) -> Result<(), DbErr> {
    let sql = match manager.get_database_backend() {
        DbBackend::Postgres => postgres,
        DbBackend::Sqlite => sqlite.unwrap_or(postgres),
        other => return Err(DbErr::Custom(format!("HQ does not support {other:?}"))),
    };
    manager
        .get_connection()
        .execute_unprepared(sql)
        .await
        .map(|_| ())
}

/// Migrations of the HQ database.
#[derive(Debug)]
pub struct HqMigrator;

#[async_trait::async_trait]
impl MigratorTrait for HqMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20251201_000001_hq::Migration),
            Box::new(m20261204_000001_voided_totals::Migration),
        ]
    }
}

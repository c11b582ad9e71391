//! HQ schema migrations, one set for both backends. A shipped migration is never edited.

use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use sea_orm_migration::{MigrationTrait, MigratorTrait, SchemaManager};

mod m20251201_000001_hq;
mod m20261204_000001_voided_totals;
mod m20261204_000002_category_spellings;
mod m20261206_000001_feed_and_devices;
mod m20261206_000002_lists;
mod m20261206_000003_staff;
mod m20261206_000004_refusals;
mod m20261206_000005_device_held;
mod m20261206_000006_branch_staff;
mod m20261206_000007_who;
mod m20261206_000008_shifts;

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
            Box::new(m20261204_000002_category_spellings::Migration),
            Box::new(m20261206_000001_feed_and_devices::Migration),
            Box::new(m20261206_000002_lists::Migration),
            Box::new(m20261206_000003_staff::Migration),
            Box::new(m20261206_000004_refusals::Migration),
            Box::new(m20261206_000005_device_held::Migration),
            Box::new(m20261206_000006_branch_staff::Migration),
            Box::new(m20261206_000007_who::Migration),
            Box::new(m20261206_000008_shifts::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Database, Statement};

    use super::*;

    /// Rows stored before spellings were kept: after the upgrade each spelling has its key,
    /// so a filter on one finds the rows of all.
    #[tokio::test]
    async fn the_upgrade_gives_every_stored_spelling_its_key() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        HqMigrator::up(&db, Some(2)).await.unwrap();
        db.execute_unprepared(
            "INSERT INTO branches (id, code, name, api_key_hash, created_at) VALUES \
             (x'01', 'JKT-01', 'Jakarta', zeroblob(32), '2025-12-01T00:00:00Z'); \
             INSERT INTO transactions (id, branch_id, type, category, amount, occurred_at, \
             created_at, received_at) VALUES \
             (x'11', x'01', 'OUT', 'Operasional', 1000, 't', 't', 't'), \
             (x'12', x'01', 'OUT', 'operasional', 1000, 't', 't', 't'), \
             (x'13', x'01', 'OUT', 'Bahan  Baku', 1000, 't', 't', 't'), \
             (x'14', x'01', 'OUT', 'Operasional', 1000, 't', 't', 't');",
        )
        .await
        .unwrap();
        HqMigrator::up(&db, None).await.unwrap();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT spelling, key FROM category_spellings ORDER BY spelling",
            ))
            .await
            .unwrap();
        let pairs: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get_by_index(0).unwrap(),
                    r.try_get_by_index(1).unwrap(),
                )
            })
            .collect();
        let pair = |s: &str, k: &str| (s.to_owned(), k.to_owned());
        assert_eq!(
            pairs,
            [
                pair("Bahan  Baku", "bahan baku"),
                pair("Operasional", "operasional"),
                pair("operasional", "operasional"),
            ]
        );
    }
}

//! Schema migrations. A shipped migration is never edited: change the schema with a new one.

use sea_orm_migration::prelude::{ConnectionTrait, DbErr, SchemaManager};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

mod m20251201_000001_branch_ledger;
mod m20261203_000001_outbox_in_entry_order;
mod m20261203_000002_sync_error_code_and_reason;
mod m20261204_000001_voided_totals;
mod m20261204_000002_category_keys;
mod m20261206_000001_pull;
mod m20261206_000002_lists;
mod m20261206_000003_staff;
mod m20261206_000004_who;
mod m20261206_000005_shifts;
mod m20261206_000006_shift_sync;
mod m20261206_000007_branch_settings;

/// Runs a migration written as plain SQL (SQLite's partial indexes and column changes are the
/// point of these, so they are not built with the schema builder).
async fn run_sql(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(sql)
        .await
        .map(|_| ())
}

/// Migrations of the branch ledger database.
pub(crate) struct BranchMigrator;

#[async_trait::async_trait]
impl MigratorTrait for BranchMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20251201_000001_branch_ledger::Migration),
            Box::new(m20261203_000001_outbox_in_entry_order::Migration),
            Box::new(m20261203_000002_sync_error_code_and_reason::Migration),
            Box::new(m20261204_000001_voided_totals::Migration),
            Box::new(m20261204_000002_category_keys::Migration),
            Box::new(m20261206_000001_pull::Migration),
            Box::new(m20261206_000002_lists::Migration),
            Box::new(m20261206_000003_staff::Migration),
            Box::new(m20261206_000004_who::Migration),
            Box::new(m20261206_000005_shifts::Migration),
            Box::new(m20261206_000006_shift_sync::Migration),
            Box::new(m20261206_000007_branch_settings::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use kh_domain::{BusinessCalendar, SyncState, TransactionId};
    use kh_ports::Ledger;
    use sea_orm::ConnectionTrait;

    use super::*;
    use crate::{BranchStore, SqliteDb, SqliteTarget};

    /// A book refused rows before the refusal had two columns: after the upgrade each keeps
    /// HQ's code and reason apart, and a row never refused stays in the outbox.
    #[tokio::test]
    async fn refusals_stored_as_one_text_keep_their_code_and_reason_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let target = SqliteTarget::File(dir.path().join("ledger.db"));
        let db = SqliteDb::open(&target).await.unwrap();
        BranchMigrator::up(&db.writer, Some(2)).await.unwrap();
        let ids: Vec<TransactionId> = (0..3).map(|_| TransactionId::new_v4()).collect();
        let rows = [
            (
                ids[0],
                Some("unknown_reference: the original is not at HQ yet"),
            ),
            (ids[1], Some("amount must be at most 1000: said an old HQ")),
            (ids[2], None),
        ];
        for (id, error) in rows {
            let error = error.map_or("NULL".to_owned(), |e| format!("'{e}'"));
            let sql = format!(
                "INSERT INTO transactions (id, type, category, amount, occurred_at, created_at, \
                 sync_error) VALUES (x'{}', 'OUT', 'Operasional', 5000, 0, 0, {error})",
                id.as_uuid().simple()
            );
            db.writer.execute_unprepared(&sql).await.unwrap();
        }
        db.close().await;

        let db = SqliteDb::open_branch(&target).await.unwrap();
        let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta").unwrap())
            .await
            .unwrap();
        let state = |i: usize| {
            let store = store.clone();
            let id = ids[i];
            async move { store.get(id).await.unwrap().unwrap().sync }
        };
        assert_eq!(
            state(0).await,
            SyncState::Rejected {
                code: "unknown_reference".into(),
                reason: "the original is not at HQ yet".into(),
            }
        );
        assert_eq!(
            state(1).await,
            SyncState::Rejected {
                code: String::new(),
                reason: "amount must be at most 1000: said an old HQ".into(),
            }
        );
        assert_eq!(state(2).await, SyncState::Pending);
    }

    /// A book that voided an entry before voids left the totals: after the upgrade the pair
    /// is out of the totals and counted apart, without anything else changing.
    #[tokio::test]
    async fn an_older_book_is_recounted_with_its_voids_cancelled_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let target = SqliteTarget::File(dir.path().join("ledger.db"));
        let db = SqliteDb::open(&target).await.unwrap();
        BranchMigrator::up(&db.writer, Some(3)).await.unwrap();
        let (original, void, sale) = (
            TransactionId::new_v4(),
            TransactionId::new_v4(),
            TransactionId::new_v4(),
        );
        let hex = |id: TransactionId| id.as_uuid().simple().to_string();
        // 2025-12-08 10:00 WIB; the old totals counted all three rows, as that code did.
        let at = 1_765_162_800_000_i64;
        let sql = format!(
            "INSERT INTO transactions (id, type, category, amount, occurred_at, created_at, reverses_id) VALUES \
             (x'{o}', 'OUT', 'Operasional', 20000, {at}, {at}, NULL), \
             (x'{v}', 'IN', 'Operasional', 20000, {at}, {at}, x'{o}'), \
             (x'{s}', 'IN', 'Penjualan', 100000, {at}, {at}, NULL); \
             INSERT INTO daily_totals VALUES ('2025-12-08', 120000, 20000, 2, 1); \
             INSERT INTO daily_category_totals VALUES ('2025-12-08', 'OUT', 'Operasional', 20000, 1), \
             ('2025-12-08', 'IN', 'Operasional', 20000, 1), ('2025-12-08', 'IN', 'Penjualan', 100000, 1); \
             INSERT INTO ledger_meta VALUES ('aggregates_timezone', 'Asia/Jakarta');",
            o = hex(original),
            v = hex(void),
            s = hex(sale),
        );
        db.writer.execute_unprepared(&sql).await.unwrap();
        db.close().await;

        let db = SqliteDb::open_branch(&target).await.unwrap();
        let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta").unwrap())
            .await
            .unwrap();
        let t = store.totals(kh_domain::DateRange::ALL, None).await.unwrap();
        assert_eq!(
            (t.total_in, t.total_out, t.count_in, t.count_out),
            (100_000, 0, 1, 0)
        );
        assert_eq!((t.voided_count(), t.voided_total()), (Ok(2), Ok(40_000)));
        let categories = store
            .category_totals(kh_domain::DateRange::ALL, None)
            .await
            .unwrap();
        assert_eq!(categories.len(), 1, "{categories:?}");
        assert_eq!(categories[0].category.as_str(), "Penjualan");
    }
}

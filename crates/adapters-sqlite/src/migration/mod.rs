//! Schema migrations. A shipped migration is never edited: change the schema with a new one.

use sea_orm_migration::{MigrationTrait, MigratorTrait};

mod m20251201_000001_branch_ledger;

/// Migrations of the branch ledger database.
pub(crate) struct BranchMigrator;

#[async_trait::async_trait]
impl MigratorTrait for BranchMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20251201_000001_branch_ledger::Migration)]
    }
}

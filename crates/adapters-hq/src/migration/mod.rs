//! HQ schema migrations, one set for both backends. A shipped migration is never edited.

use sea_orm_migration::{MigrationTrait, MigratorTrait};

mod m20251201_000001_hq;

/// Migrations of the HQ database.
#[derive(Debug)]
pub struct HqMigrator;

#[async_trait::async_trait]
impl MigratorTrait for HqMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20251201_000001_hq::Migration)]
    }
}

//! Branch staff on the PC (DESIGN 10.2): the members HQ sent (PINs only as argon2id hashes),
//! the wrong-PIN counts that lock a member out (kept in the file, so a restart does not undo a
//! lock), and the sessions the lock screen opens (only the token's hash is kept).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const UP: &str = r#"
CREATE TABLE staff (
    id       BLOB    NOT NULL PRIMARY KEY,
    name     TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    role     TEXT    NOT NULL CHECK (role IN ('cashier', 'supervisor')),
    active   INTEGER NOT NULL CHECK (active IN (0, 1)),
    pin_hash TEXT    NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
    version  INTEGER NOT NULL
);
CREATE TABLE pin_failures (
    staff_id     BLOB    NOT NULL PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    locked_until INTEGER
);
CREATE TABLE staff_sessions (
    token_hash   BLOB NOT NULL PRIMARY KEY,
    staff_id     BLOB NOT NULL,
    opened_at    INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE staff_sessions;
DROP TABLE pin_failures;
DROP TABLE staff;
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

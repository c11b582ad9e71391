//! Branch staff (DESIGN 10.2): cashiers and supervisors HQ manages per branch. They travel to
//! their branch with HQ's lists (`version` is the lists' version when the member last changed),
//! PINs only as argon2id hashes. A member is deactivated, never deleted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
CREATE TABLE branch_staff (
    id         uuid        NOT NULL PRIMARY KEY,
    branch_id  uuid        NOT NULL REFERENCES branches (id),
    name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
    key        text        NOT NULL,
    role       text        NOT NULL CHECK (role IN ('cashier', 'supervisor')),
    pin_hash   text        NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
    active     boolean     NOT NULL,
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (branch_id, key)
);
CREATE INDEX ix_branch_staff_version ON branch_staff (branch_id, version);
"#;

const SQLITE: &str = r#"
CREATE TABLE branch_staff (
    id         BLOB    NOT NULL PRIMARY KEY,
    branch_id  BLOB    NOT NULL REFERENCES branches (id),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    key        TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('cashier', 'supervisor')),
    pin_hash   TEXT    NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (branch_id, key)
);
CREATE INDEX ix_branch_staff_version ON branch_staff (branch_id, version);
"#;

const DOWN: &str = "DROP TABLE branch_staff;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN, None).await
    }
}

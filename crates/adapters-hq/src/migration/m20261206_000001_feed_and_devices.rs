//! Two-way sync (DESIGN 8.1, 8.2): every stored row gets `seq`, its place in its branch's feed,
//! and the device that pushed it; HQ keeps each branch's devices with their last contact.
//!
//! `seq` comes from one HQ-wide sequence, and pushes of one branch take it while holding that
//! branch's lock until they commit (`ingest`), so within a branch the rows become visible in
//! `seq` order: a puller that has read up to `seq` = N can never later meet a row of its branch
//! below N. Rows stored before this migration are numbered in the order HQ received them (an
//! original before its void).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const POSTGRES: &str = r#"
CREATE SEQUENCE transactions_seq AS bigint;
ALTER TABLE transactions ADD COLUMN seq bigint NULL, ADD COLUMN device_id uuid NULL;
UPDATE transactions t SET seq = o.n
  FROM (SELECT id, row_number() OVER (ORDER BY received_at, (reverses_id IS NOT NULL), created_at, id) AS n
          FROM transactions) o
 WHERE o.id = t.id;
SELECT setval('transactions_seq', COALESCE((SELECT max(seq) FROM transactions), 0) + 1, false);
ALTER TABLE transactions
    ALTER COLUMN seq SET DEFAULT nextval('transactions_seq'),
    ALTER COLUMN seq SET NOT NULL;
ALTER SEQUENCE transactions_seq OWNED BY transactions.seq;
CREATE UNIQUE INDEX ux_transactions_branch_seq ON transactions (branch_id, seq);

CREATE TABLE devices (
    branch_id     uuid        NOT NULL REFERENCES branches (id),
    id            uuid        NOT NULL,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    PRIMARY KEY (branch_id, id)
);
"#;

const SQLITE: &str = r#"
ALTER TABLE transactions ADD COLUMN seq INTEGER NULL;
ALTER TABLE transactions ADD COLUMN device_id BLOB NULL;
UPDATE transactions SET seq = o.n
  FROM (SELECT id, row_number() OVER (ORDER BY received_at, (reverses_id IS NOT NULL), created_at, id) AS n
          FROM transactions) AS o
 WHERE o.id = transactions.id;
CREATE UNIQUE INDEX ux_transactions_branch_seq ON transactions (branch_id, seq);
-- The trial HQ has one writer connection; its pushes take seq = max + 1 inside their
-- transaction (there is no sequence object in SQLite).
CREATE INDEX ix_transactions_seq ON transactions (seq);

CREATE TABLE devices (
    branch_id     BLOB NOT NULL REFERENCES branches (id),
    id            BLOB NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (branch_id, id)
) WITHOUT ROWID;
"#;

const DOWN_POSTGRES: &str = r#"
DROP TABLE devices;
DROP INDEX ux_transactions_branch_seq;
ALTER TABLE transactions DROP COLUMN seq, DROP COLUMN device_id;
"#;

const DOWN_SQLITE: &str = r#"
DROP TABLE devices;
DROP INDEX ix_transactions_seq;
DROP INDEX ux_transactions_branch_seq;
ALTER TABLE transactions DROP COLUMN seq;
ALTER TABLE transactions DROP COLUMN device_id;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, POSTGRES, Some(SQLITE)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, DOWN_POSTGRES, Some(DOWN_SQLITE)).await
    }
}

//! Backups of a branch ledger: a copy made while the ledger is open holds the same rows, the
//! check catches a damaged or foreign file, and a restore swaps books only when it is safe.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use kh_adapters_sqlite::{
    BackupError, BranchStore, OpenError, SqliteDb, SqliteTarget, Unusable, check_backup,
    list_backups, restore_database,
};
use kh_domain::chrono::Utc;
use kh_domain::{BusinessCalendar, DateRange, NewTransaction, NewTransactionInput};
use kh_ports::{Ledger, ListQuery};

fn calendar() -> BusinessCalendar {
    BusinessCalendar::from_name("Asia/Jakarta").unwrap()
}

async fn open_store(path: &Path) -> BranchStore {
    let db = SqliteDb::open_branch(&SqliteTarget::File(path.to_path_buf()))
        .await
        .unwrap();
    BranchStore::new(db, calendar()).await.unwrap()
}

/// Records `n` entries with long descriptions (so the file spans many pages).
async fn record(store: &BranchStore, n: usize) {
    let description = "nasi kotak untuk acara pengajian ".repeat(12);
    for i in 0..n {
        let input = NewTransactionInput {
            tx_type: if i % 3 == 0 { "OUT" } else { "IN" },
            amount: 1_000 + i64::try_from(i).unwrap(),
            category: if i % 2 == 0 {
                "Penjualan"
            } else {
                "Bahan Baku"
            },
            description: Some(&description),
            ..NewTransactionInput::default()
        };
        let tx =
            NewTransaction::from_input(&input, Utc::now(), &kh_domain::Lists::defaults()).unwrap();
        store.record(tx).await.unwrap();
    }
}

/// Every entry's id and amount, in list order.
async fn rows(store: &BranchStore) -> Vec<(String, i64)> {
    let mut all = Vec::new();
    for page in 1.. {
        let query = ListQuery {
            page,
            limit: 100,
            ..ListQuery::default()
        };
        let found = store.list(&query).await.unwrap();
        if found.items.is_empty() {
            break;
        }
        all.extend(
            found
                .items
                .iter()
                .map(|t| (t.id.to_string(), t.amount.rupiah())),
        );
    }
    all
}

fn has_partials(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().ends_with(".partial"))
}

/// A ledger with `n` entries at `dir/ledger.db`, closed.
async fn ledger_with(dir: &Path, n: usize) -> (PathBuf, Vec<(String, i64)>) {
    let path = dir.join("ledger.db");
    let store = open_store(&path).await;
    record(&store, n).await;
    let rows = rows(&store).await;
    store.db().clone().close().await;
    (path, rows)
}

#[tokio::test]
async fn a_backup_taken_while_the_ledger_is_open_holds_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let store = open_store(&path).await;
    record(&store, 25).await;
    let expected = rows(&store).await;

    // The server's own connection, and a second process's read-only one beside the lock.
    let from_server = dir.path().join("backups/from-server.db");
    let summary = store.db().write_backup(&from_server).await.unwrap();
    assert_eq!(summary.entries, 25);
    let reader = SqliteDb::open_read_only(&path).await.unwrap();
    let from_reader = dir.path().join("backups/from-reader.db");
    reader.write_backup(&from_reader).await.unwrap();
    reader.close().await;
    record(&store, 1).await; // the ledger carries on; the copies do not change
    store.db().clone().close().await;

    for copy in [from_server, from_reader] {
        assert_eq!(check_backup(&copy).await.unwrap().entries, 25);
        let restored = open_store(&copy).await;
        assert_eq!(rows(&restored).await, expected);
        let totals = restored.totals(DateRange::ALL, None).await.unwrap();
        assert_eq!(totals.count_in + totals.count_out, 25);
        restored.db().clone().close().await;
    }
    assert!(!has_partials(&dir.path().join("backups")));
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file_and_needs_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = ledger_with(dir.path(), 1).await;
    let taken = dir.path().join("notes.txt");
    std::fs::write(&taken, b"not mine").unwrap();
    let db = SqliteDb::open_read_only(&path).await.unwrap();
    match db.write_backup(&taken).await {
        Err(BackupError::Exists(p)) => assert!(p.ends_with("notes.txt")),
        other => panic!("expected Exists, got {other:?}"),
    }
    db.close().await;
    assert_eq!(std::fs::read(&taken).unwrap(), b"not mine");
    match SqliteDb::open_read_only(&dir.path().join("nothing.db")).await {
        Err(OpenError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn the_check_catches_a_damaged_copy_and_files_that_are_no_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = ledger_with(dir.path(), 300).await;
    let db = SqliteDb::open_read_only(&path).await.unwrap();
    let good = dir.path().join("good.db");
    db.write_backup(&good).await.unwrap();
    db.close().await;

    // Garbage over a few pages in the middle of a copy.
    let mut bytes = std::fs::read(&good).unwrap();
    assert!(
        bytes.len() > 64 * 1024,
        "too small to damage: {}",
        bytes.len()
    );
    let middle = bytes.len() / 2 / 4096 * 4096;
    for (i, b) in bytes[middle..middle + 3 * 4096].iter_mut().enumerate() {
        *b = u8::try_from(i % 251).unwrap();
    }
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    match check_backup(&damaged).await {
        Err(BackupError::Unusable {
            problem: Unusable::Damaged(_),
            ..
        }) => {}
        other => panic!("expected Damaged, got {other:?}"),
    }

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "Kas kecil: 50.000\n".repeat(300)).unwrap();
    match check_backup(&text).await {
        Err(BackupError::Unusable {
            problem: Unusable::NotSqlite,
            ..
        }) => {}
        other => panic!("expected NotSqlite, got {other:?}"),
    }

    let foreign = dir.path().join("other-app.db");
    let other = SqliteDb::open(&SqliteTarget::File(foreign.clone()))
        .await
        .unwrap();
    let (writer, _) = other.connections();
    sea_orm::ConnectionTrait::execute_unprepared(&writer, "CREATE TABLE notes (body TEXT)")
        .await
        .unwrap();
    other.close().await;
    match check_backup(&foreign).await {
        Err(BackupError::Unusable {
            problem: Unusable::NotABranchDatabase,
            ..
        }) => {}
        other => panic!("expected NotABranchDatabase, got {other:?}"),
    }
    assert!(
        check_backup(&good).await.is_ok(),
        "the check changed nothing"
    );
}

#[tokio::test]
async fn a_restore_puts_the_backup_back_and_keeps_the_book_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let store = open_store(&path).await;
    record(&store, 4).await;
    let backed_up = rows(&store).await;
    let backup = dir.path().join("backups/monday.db");
    store.db().write_backup(&backup).await.unwrap();
    record(&store, 3).await; // made after the backup, never sent to HQ
    let everything = rows(&store).await;

    match restore_database(&path, &backup, &dir.path().join("backups/kept.db")).await {
        Err(BackupError::Open(OpenError::Locked(_))) => {}
        other => panic!("a restore under a running ledger must be refused, got {other:?}"),
    }
    // What the disk holds after a crash now: the newest entries are in the write-ahead log only.
    let crashed = dir.path().join("crashed");
    std::fs::create_dir(&crashed).unwrap();
    let log = dir.path().join("ledger.db-wal");
    assert!(log.exists());
    std::fs::copy(&path, crashed.join("ledger.db")).unwrap();
    std::fs::copy(&log, crashed.join("ledger.db-wal")).unwrap();
    store.db().clone().close().await;
    let path = crashed.join("ledger.db");
    let log = crashed.join("ledger.db-wal");

    let kept = dir.path().join("backups/kept.db");
    let restored = restore_database(&path, &backup, &kept).await.unwrap();

    assert_eq!(restored.entries, 4);
    let replaced = restored.replaced.unwrap();
    assert_eq!(replaced.kept_at, kept);
    assert!(!replaced.raw_copy);
    let lost = replaced.lost.unwrap();
    assert_eq!((lost.entries, lost.unsent), (3, 3));
    assert!(
        !log.exists(),
        "a stale -wal must not meet the restored file"
    );
    assert!(!crashed.join("ledger.db-shm").exists());
    let book = open_store(&path).await;
    assert_eq!(rows(&book).await, backed_up);
    book.db().clone().close().await;
    drop(book); // lets go of the lock

    // Undo: the kept copy has every entry, those only in the log included.
    let undo = restore_database(&path, &kept, &dir.path().join("backups/kept-2.db"))
        .await
        .unwrap();
    assert_eq!(undo.entries, 7);
    let book = open_store(&path).await;
    assert_eq!(rows(&book).await, everything);
    book.db().clone().close().await;
    assert!(!crashed.join("ledger.db.restoring").exists());
}

#[tokio::test]
async fn a_restore_of_a_bad_file_leaves_the_book_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (path, before) = ledger_with(dir.path(), 3).await;
    let original = std::fs::read(&path).unwrap();
    let kept = dir.path().join("backups/kept.db");
    let text = dir.path().join("photo.jpg");
    std::fs::write(&text, b"\xff\xd8\xff\xe0 not a database").unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();

    for bad in [&text, &empty, &dir.path().join("missing.db")] {
        let refused = restore_database(&path, bad, &kept).await;
        assert!(
            matches!(
                refused,
                Err(BackupError::Unusable { .. } | BackupError::Missing(_))
            ),
            "{bad:?}: {refused:?}"
        );
        let message = refused.unwrap_err().to_string();
        assert!(message.contains(&bad.display().to_string()), "{message}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert!(!kept.exists());
    assert!(
        list_backups(&dir.path().join("backups"))
            .unwrap()
            .is_empty()
    );
    let book = open_store(&path).await;
    assert_eq!(rows(&book).await, before);
    book.db().clone().close().await;
}

#[tokio::test]
async fn a_restore_onto_a_new_pc_needs_no_current_book() {
    let dir = tempfile::tempdir().unwrap();
    let (path, before) = ledger_with(dir.path(), 2).await;
    let db = SqliteDb::open_read_only(&path).await.unwrap();
    let backup = dir.path().join("backup.db");
    db.write_backup(&backup).await.unwrap();
    db.close().await;

    let fresh = dir.path().join("new-pc/haramain-finance.db");
    let restored = restore_database(&fresh, &backup, &dir.path().join("new-pc/kept.db"))
        .await
        .unwrap();
    assert_eq!((restored.entries, restored.replaced), (2, None));
    let book = open_store(&fresh).await;
    assert_eq!(rows(&book).await, before);
    book.db().clone().close().await;
}

//! The HQ store contract: every assertion runs against PostgreSQL (a fresh database per test,
//! from `KH_TEST_DATABASE_URL`) and against SQLite (a fresh file per test).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use kh_adapters_hq::HqStore;
use kh_adapters_sqlite::{SqliteDb, SqliteTarget};
use kh_domain::chrono::{DateTime, Duration, Utc};
use kh_domain::{
    ApiKey, Branch, BranchCode, BranchId, BranchName, BusinessCalendar, DateRange, NewTransaction,
    SyncedInput, TransactionId, TxType,
};
use kh_ports::{BranchDirectory, HqError, HqLedger, ListQuery, NewBranch};

/// Where the PostgreSQL tests create their databases. Unreachable means failure, never a skip.
fn admin_url() -> String {
    std::env::var("KH_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn jakarta() -> BusinessCalendar {
    BusinessCalendar::from_name("Asia/Jakarta").unwrap()
}

struct Backend {
    store: HqStore,
    /// The PostgreSQL database, for a second connection to it.
    url: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

fn open_sqlite(
    dir: &tempfile::TempDir,
    calendar: BusinessCalendar,
) -> impl Future<Output = HqStore> {
    let path = dir.path().join("hq.db");
    async move {
        // As kh-cloud opens a trial HQ: the HQ store over the SQLite connection settings.
        let db = SqliteDb::open(&SqliteTarget::File(path)).await.unwrap();
        let (writer, reader) = db.connections();
        let store = HqStore::new(writer, reader, calendar, Some(std::sync::Arc::new(db)));
        store.migrate().await.unwrap();
        store
    }
}

impl Backend {
    /// Closes the store and opens the same database in `calendar` (the totals are rebuilt
    /// from the stored rows when the zone differs).
    async fn reopen(self, calendar: BusinessCalendar) -> Backend {
        let Backend { store, url, _dir } = self;
        store.close().await;
        match (url, _dir) {
            (Some(url), _) => postgres_with(calendar, Some(url)).await.0,
            (None, Some(dir)) => Backend {
                store: open_sqlite(&dir, calendar).await,
                url: None,
                _dir: Some(dir),
            },
            (None, None) => unreachable!("a backend is PostgreSQL or a SQLite file"),
        }
    }
}

async fn postgres_with(calendar: BusinessCalendar, url: Option<String>) -> (Backend, String) {
    let url = match url {
        Some(u) => u,
        None => kh_adapters_postgres::create_test_database(&admin_url())
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is required for these tests ({e}); start it or set KH_TEST_DATABASE_URL")),
    };
    let store = kh_adapters_postgres::connect(&url, calendar, 10).unwrap();
    store.migrate().await.unwrap();
    let backend = Backend {
        store,
        url: Some(url.clone()),
        _dir: None,
    };
    (backend, url)
}

async fn postgres() -> Backend {
    postgres_with(jakarta(), None).await.0
}

async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    Backend {
        store: open_sqlite(&dir, jakarta()).await,
        url: None,
        _dir: Some(dir),
    }
}

/// Runs one contract function against both backends as two tests.
macro_rules! contract {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name(super::postgres().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(super::sqlite().await).await;
            }
        }
    };
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-15T08:00:00.000Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn new_branch(store: &HqStore, code: &str) -> (Branch, ApiKey) {
    let key = ApiKey::generate().unwrap();
    let branch = store
        .create(NewBranch {
            id: BranchId::new_v4(),
            code: BranchCode::parse(code).unwrap(),
            name: BranchName::parse(&format!("Cabang {code}")).unwrap(),
            key_hash: key.hash(),
            created_at: now(),
        })
        .await
        .unwrap();
    (branch, key)
}

fn row(branch: BranchId, tx_type: &str, amount: i64, occurred_at: &str) -> NewTransaction {
    let id = TransactionId::new_v4().to_string();
    let input = SyncedInput {
        id: &id,
        tx_type,
        amount,
        category: "Penjualan",
        description: Some("nasi kotak"),
        occurred_at,
        created_at: occurred_at,
        reverses_id: None,
        ..SyncedInput::default()
    };
    NewTransaction::from_synced(&input, branch).unwrap()
}

fn void_of(original: &NewTransaction) -> NewTransaction {
    let mut void = original.clone();
    void.id = TransactionId::new_v4();
    void.tx_type = original.tx_type.opposite();
    void.reverses_id = Some(original.id);
    void.created_at += Duration::minutes(1);
    void
}

// ---------------------------------------------------------------------------------------------

async fn branches_have_unique_codes_and_rotatable_keys(b: Backend) {
    let s = &b.store;
    let (jkt, key) = new_branch(s, "JKT-01").await;
    let (_bdg, _) = new_branch(s, "BDG-01").await;
    let dup = s
        .create(NewBranch {
            id: BranchId::new_v4(),
            code: BranchCode::parse("jkt-01").unwrap(),
            name: BranchName::parse("again").unwrap(),
            key_hash: ApiKey::generate().unwrap().hash(),
            created_at: now(),
        })
        .await;
    assert!(matches!(dup, Err(HqError::CodeTaken(code)) if code == "JKT-01"));
    let codes: Vec<String> = BranchDirectory::list(s)
        .await
        .unwrap()
        .iter()
        .map(|b| b.code.as_str().to_owned())
        .collect();
    assert_eq!(codes, ["BDG-01", "JKT-01"]);

    let (found, stored) = s.find_by_key(&key.hash()).await.unwrap().unwrap();
    assert_eq!(found.id, jkt.id);
    assert!(stored.matches(&key.hash()));
    assert_eq!(
        s.find_by_code(&BranchCode::parse("JKT-01").unwrap())
            .await
            .unwrap()
            .unwrap()
            .id,
        jkt.id
    );

    let new_key = ApiKey::generate().unwrap();
    s.replace_key(jkt.id, new_key.hash()).await.unwrap();
    assert!(
        s.find_by_key(&key.hash()).await.unwrap().is_none(),
        "a rotated-away key finds nothing"
    );
    assert_eq!(
        s.find_by_key(&new_key.hash()).await.unwrap().unwrap().0.id,
        jkt.id
    );

    let first = s.disable(jkt.id, now()).await.unwrap().disabled_at;
    let again = s
        .disable(jkt.id, now() + Duration::hours(1))
        .await
        .unwrap()
        .disabled_at;
    assert_eq!(first, Some(now()));
    assert_eq!(again, first, "disabling twice keeps the first time");
    assert!(matches!(
        s.disable(BranchId::new_v4(), now()).await,
        Err(HqError::BranchNotFound(_))
    ));
    assert!(matches!(
        s.replace_key(BranchId::new_v4(), new_key.hash()).await,
        Err(HqError::BranchNotFound(_))
    ));

    s.touch(jkt.id, now() + Duration::minutes(5)).await.unwrap();
    assert_eq!(
        s.get(jkt.id).await.unwrap().unwrap().last_seen_at,
        Some(now() + Duration::minutes(5))
    );
    s.ping().await.unwrap();
}
contract!(branches_have_unique_codes_and_rotatable_keys);

async fn ingest_is_idempotent_and_never_overwrites(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    let rows: Vec<NewTransaction> = (0..5)
        .map(|i| row(jkt.id, "IN", 1_000 * (i + 1), "2025-12-08T03:00:00.123Z"))
        .collect();

    let first = s.ingest(jkt.id, None, rows.clone(), now()).await.unwrap();
    assert_eq!(first.accepted.len(), 5);
    let again = s.ingest(jkt.id, None, rows.clone(), now()).await.unwrap();
    assert_eq!(
        (again.accepted.len(), again.duplicates.len()),
        (0, 5),
        "a re-sent batch lands as duplicates"
    );

    let mut changed = rows[0].clone();
    changed.amount = kh_domain::Amount::new(999).unwrap();
    let conflict = s.ingest(jkt.id, None, vec![changed], now()).await.unwrap();
    assert_eq!(conflict.rejected[0].code.as_str(), "conflict");
    let mut stolen = rows[1].clone();
    stolen.branch_id = Some(bdg.id);
    let foreign = s.ingest(bdg.id, None, vec![stolen], now()).await.unwrap();
    assert_eq!(
        foreign.rejected[0].code.as_str(),
        "conflict",
        "another branch cannot take over an id"
    );

    let totals = s.branch_totals(DateRange::ALL).await.unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!(
        totals[0].1.total_in, 15_000,
        "the stored rows are unchanged"
    );
    let page = HqLedger::list(
        s,
        &ListQuery {
            limit: 10,
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.total, 5);
    let stored_first = page.items.iter().find(|t| t.id == rows[0].id).unwrap();
    assert_eq!(stored_first.amount.rupiah(), 1_000);
    assert_eq!(
        stored_first.occurred_at, rows[0].occurred_at,
        "millisecond times survive the round trip"
    );
    assert_eq!(
        stored_first.sync,
        kh_domain::SyncState::Synced { at: now() }
    );
}
contract!(ingest_is_idempotent_and_never_overwrites);

async fn voids_need_their_original_from_the_same_branch(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    let original = row(jkt.id, "OUT", 50_000, "2025-12-08T03:00:00Z");
    let void = void_of(&original);
    // Original and void in the same push: both accepted, totals net out.
    let out = s
        .ingest(jkt.id, None, vec![void.clone(), original.clone()], now())
        .await
        .unwrap();
    assert_eq!(out.accepted.len(), 2, "{out:?}");
    let t = s.branch_totals(DateRange::ALL).await.unwrap()[0].1;
    assert_eq!(t.balance().unwrap(), 0);

    let second = void_of(&original);
    let out = s.ingest(jkt.id, None, vec![second], now()).await.unwrap();
    assert_eq!(out.rejected[0].code.as_str(), "already_voided");

    let orphan = void_of(&row(jkt.id, "IN", 10, "2025-12-08T03:00:00Z"));
    let out = s.ingest(jkt.id, None, vec![orphan], now()).await.unwrap();
    assert_eq!(out.rejected[0].code.as_str(), "unknown_reference");

    let theirs = row(bdg.id, "IN", 10, "2025-12-08T03:00:00Z");
    s.ingest(bdg.id, None, vec![theirs.clone()], now())
        .await
        .unwrap();
    let mut cross = void_of(&theirs);
    cross.branch_id = Some(jkt.id);
    let out = s.ingest(jkt.id, None, vec![cross], now()).await.unwrap();
    assert_eq!(
        out.rejected[0].code.as_str(),
        "unknown_reference",
        "a branch cannot void another branch's entry"
    );

    let plain = row(jkt.id, "IN", 700, "2025-12-08T03:00:00Z");
    let mut wrong = void_of(&plain);
    wrong.amount = kh_domain::Amount::new(701).unwrap();
    let out = s
        .ingest(jkt.id, None, vec![plain, wrong], now())
        .await
        .unwrap();
    assert_eq!(out.accepted.len(), 1);
    assert_eq!(out.rejected[0].code.as_str(), "validation_failed");
}
contract!(voids_need_their_original_from_the_same_branch);

async fn reports_follow_business_dates_and_add_up(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    s.ingest(
        jkt.id,
        None,
        vec![
            row(jkt.id, "IN", 100, "2025-12-08T16:59:00Z"), // 23:59 WIB on the 8th
            row(jkt.id, "IN", 200, "2025-12-08T17:00:00Z"), // 00:00 WIB on the 9th
            row(jkt.id, "OUT", 50, "2025-12-10T02:00:00Z"),
        ],
        now(),
    )
    .await
    .unwrap();
    s.ingest(
        bdg.id,
        None,
        vec![row(bdg.id, "IN", 1_000, "2025-12-09T05:00:00Z")],
        now(),
    )
    .await
    .unwrap();

    let day9 = DateRange::parse(Some("2025-12-09"), Some("2025-12-09")).unwrap();
    let mut totals = s.branch_totals(day9).await.unwrap();
    totals.sort_by_key(|(b, _)| *b == bdg.id);
    assert_eq!(totals.iter().map(|(_, t)| t.total_in).sum::<i64>(), 1_200);

    let (opening, days) = s
        .daily(
            Some(jkt.id),
            DateRange::parse(Some("2025-12-09"), None).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(opening, 100);
    assert_eq!(
        days.iter().map(|d| d.date.to_string()).collect::<Vec<_>>(),
        ["2025-12-09", "2025-12-10"]
    );
    let (_, all_days) = s.daily(None, DateRange::ALL).await.unwrap();
    assert_eq!(
        all_days.iter().map(|d| d.totals.total_in).sum::<i64>(),
        1_300
    );

    let only_jkt = HqLedger::list(
        s,
        &ListQuery {
            branch: Some(jkt.id),
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(only_jkt.total, 3);
    assert_eq!(only_jkt.items[0].amount.rupiah(), 50, "newest first");
    let outs = HqLedger::list(
        s,
        &ListQuery {
            tx_type: Some(TxType::Out),
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(outs.total, 1);
    let day8 = HqLedger::list(
        s,
        &ListQuery {
            range: DateRange::parse(Some("2025-12-08"), Some("2025-12-08")).unwrap(),
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((day8.total, day8.items.len()), (1, 1));
    let text = HqLedger::list(
        s,
        &ListQuery {
            text: Some("NASI".into()),
            limit: 2,
            page: 2,
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((text.total, text.items.len()), (4, 2));
    // Text that reads as whole rupiah finds the entry of that amount too.
    let by_amount = HqLedger::list(
        s,
        &ListQuery {
            text: Some("Rp 1.000".into()),
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(by_amount.total, 1);
    assert_eq!(by_amount.items[0].amount.rupiah(), 1_000);
}
contract!(reports_follow_business_dates_and_add_up);

/// A voided entry and its void are a cancelled pair: out of every sum and count (the balance as
/// if neither happened), counted apart, still listed; whether the void came in the same push
/// or a later one, and after the totals are rebuilt from the rows.
async fn a_voided_entry_and_its_void_leave_the_totals(b: Backend) {
    let (jkt, _) = new_branch(&b.store, "JKT-01").await;
    let mistake = row(jkt.id, "OUT", 20_000, "2025-12-08T03:00:00Z");
    let sale = row(jkt.id, "IN", 100_000, "2025-12-08T04:00:00Z");
    let spend = row(jkt.id, "OUT", 5_000, "2025-12-08T05:00:00Z");
    let typo = row(jkt.id, "IN", 7_000, "2025-12-08T06:00:00Z");
    let s = &b.store;
    s.ingest(jkt.id, None, vec![mistake.clone(), sale, spend], now())
        .await
        .unwrap();
    // The void of a stored entry, in a later push; then an entry and its void in one push.
    let late = void_of(&mistake);
    let out = s
        .ingest(jkt.id, None, vec![late.clone()], now())
        .await
        .unwrap();
    assert_eq!(out.accepted, [late.id]);
    let out = s
        .ingest(jkt.id, None, vec![void_of(&typo), typo], now())
        .await
        .unwrap();
    assert_eq!(out.accepted.len(), 2, "{out:?}");
    // A replayed void changes nothing.
    let out = s.ingest(jkt.id, None, vec![late], now()).await.unwrap();
    assert_eq!(out.duplicates.len(), 1);

    let check = |s: HqStore, when: &'static str| async move {
        let t = s.branch_totals(DateRange::ALL).await.unwrap()[0].1;
        assert_eq!((t.total_in, t.total_out), (100_000, 5_000), "{when}");
        assert_eq!((t.count_in, t.count_out), (1, 1), "{when}");
        assert_eq!(t.transaction_count().unwrap(), 2, "{when}");
        assert_eq!(t.voided_count().unwrap(), 4, "{when}");
        assert_eq!(t.voided_total().unwrap(), 54_000, "{when}");
        assert_eq!(t.balance().unwrap(), 95_000, "{when}");
        let (_, days) = s.daily(Some(jkt.id), DateRange::ALL).await.unwrap();
        assert_eq!(days.len(), 1, "{when}");
        assert_eq!(days[0].totals, t, "{when}: the day holds everything");
        // Every stored row is listed, cancelled ones too.
        let list = |tx_type| {
            let s = s.clone();
            async move {
                let q = ListQuery {
                    tx_type,
                    ..ListQuery::default()
                };
                HqLedger::list(&s, &q).await.unwrap().total
            }
        };
        assert_eq!(list(None).await, 6, "{when}");
        assert_eq!(list(Some(TxType::In)).await, 3, "{when}");
        assert_eq!(list(Some(TxType::Out)).await, 3, "{when}");
        t
    };
    let before = check(b.store.clone(), "as pushed").await;
    let rebuilt = b
        .reopen(BusinessCalendar::from_name("Asia/Makassar").unwrap())
        .await;
    let after = check(rebuilt.store.clone(), "rebuilt").await;
    assert_eq!(before, after);
}
contract!(a_voided_entry_and_its_void_leave_the_totals);

async fn a_category_filter_finds_every_spelling_of_it(b: Backend) {
    let (jkt, _) = new_branch(&b.store, "JKT-01").await;
    let (mks, _) = new_branch(&b.store, "MKS-01").await;
    let spelled = |branch: BranchId, category: &str, at: &str| {
        let mut r = row(branch, "OUT", 1_000, at);
        r.category = kh_domain::Category::parse(category).unwrap();
        r
    };
    let s = &b.store;
    let jkt_rows = vec![
        spelled(jkt.id, "Operasional", "2025-12-08T03:00:00Z"),
        spelled(jkt.id, "operasional", "2025-12-08T04:00:00Z"),
        spelled(jkt.id, "Bahan  Baku", "2025-12-08T05:00:00Z"),
    ];
    let out = s.ingest(jkt.id, None, jkt_rows, now()).await.unwrap();
    assert_eq!(out.accepted.len(), 3);
    let out = s
        .ingest(
            mks.id,
            None,
            vec![
                spelled(mks.id, "OPERASIONAL", "2025-12-08T03:00:00Z"),
                spelled(mks.id, "bahan baku", "2025-12-08T04:00:00Z"),
            ],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(out.accepted.len(), 2);

    let listed = |branch: Option<BranchId>, category: &str| {
        let q = ListQuery {
            branch,
            category: Some(kh_domain::Category::parse(category).unwrap()),
            ..ListQuery::default()
        };
        let s = s.clone();
        async move {
            let page = HqLedger::list(&s, &q).await.unwrap();
            assert_eq!(page.total, page.items.len() as u64);
            page.total
        }
    };
    assert_eq!(listed(None, "operasional").await, 3);
    assert_eq!(listed(None, " Operasional ").await, 3);
    assert_eq!(listed(Some(jkt.id), "OPERASIONAL").await, 2);
    assert_eq!(listed(Some(mks.id), "Operasional").await, 1);
    assert_eq!(listed(None, "BAHAN BAKU").await, 2);
    assert_eq!(listed(None, "Bahan Baku Kering").await, 0);

    // A replay of a stored row under another spelling is a conflict, not a duplicate: the row
    // keeps what the branch sent first.
    let mut again = spelled(jkt.id, "Penjualan", "2025-12-09T03:00:00Z");
    s.ingest(jkt.id, None, vec![again.clone()], now())
        .await
        .unwrap();
    again.category = kh_domain::Category::parse("PENJUALAN").unwrap();
    let out = s.ingest(jkt.id, None, vec![again], now()).await.unwrap();
    assert_eq!(out.rejected.len(), 1, "{out:?}");
    assert_eq!(listed(None, "penjualan").await, 1);
}
contract!(a_category_filter_finds_every_spelling_of_it);

/// An export reads every entry a page at a time after a cursor: the same entries in the same
/// order as the list's pages (ties on the time included), filters applied, none twice.
async fn reading_after_a_cursor_walks_the_whole_list_in_its_order(b: Backend) {
    use kh_ports::ListCursor;
    let (jkt, _) = new_branch(&b.store, "JKT-01").await;
    let (mks, _) = new_branch(&b.store, "MKS-01").await;
    let s = &b.store;
    for (branch, n) in [(jkt.id, 17_i64), (mks.id, 9)] {
        // Several entries share each minute: the order falls back on created_at, then the id.
        let rows: Vec<NewTransaction> = (0..n)
            .map(|i| {
                let ty = if i % 4 == 0 { "OUT" } else { "IN" };
                row(
                    branch,
                    ty,
                    100 + i,
                    &format!("2025-12-08T0{}:1{}:00Z", i % 3, i % 2),
                )
            })
            .collect();
        s.ingest(branch, None, rows, now()).await.unwrap();
    }
    for query in [
        ListQuery::default(),
        ListQuery {
            branch: Some(jkt.id),
            tx_type: Some(kh_domain::TxType::In),
            ..ListQuery::default()
        },
    ] {
        let listed: Vec<_> = HqLedger::list(
            s,
            &ListQuery {
                limit: 100,
                ..query.clone()
            },
        )
        .await
        .unwrap()
        .items
        .iter()
        .map(|t| t.id)
        .collect();
        let mut walked = Vec::new();
        let mut after = None;
        loop {
            let page = s.list_after(&query, after, 4).await.unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(ListCursor::after);
            walked.extend(page.iter().map(|t| t.id));
        }
        assert!(!walked.is_empty());
        assert_eq!(walked, listed, "{query:?}");
    }
}
contract!(reading_after_a_cursor_walks_the_whole_list_in_its_order);

async fn concurrent_pushes_of_one_batch_store_each_row_once(b: Backend) {
    let s = b.store.clone();
    let (jkt, _) = new_branch(&s, "JKT-01").await;
    let rows: Vec<NewTransaction> = (0..200)
        .map(|i| row(jkt.id, "IN", i + 1, "2025-12-08T03:00:00Z"))
        .collect();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        let rows = rows.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                match s.ingest(jkt.id, None, rows.clone(), now()).await {
                    Ok(outcome) => return outcome,
                    // A push that lost a race may be told to retry; the worker would.
                    Err(HqError::Unavailable(_)) => tokio::task::yield_now().await,
                    Err(e) => panic!("{e}"),
                }
            }
        }));
    }
    let mut accepted = HashSet::new();
    for t in tasks {
        let outcome = t.await.unwrap();
        assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
        assert_eq!(outcome.accepted.len() + outcome.duplicates.len(), 200);
        for id in outcome.accepted {
            assert!(accepted.insert(id), "{id} accepted twice");
        }
    }
    assert_eq!(accepted.len(), 200);
    let t = s.branch_totals(DateRange::ALL).await.unwrap()[0].1;
    assert_eq!(
        (t.count_in, t.total_in),
        (200, (1..=200).sum::<i64>()),
        "totals count each row once"
    );
}
contract!(concurrent_pushes_of_one_batch_store_each_row_once);

#[tokio::test]
async fn postgres_totals_are_rebuilt_when_the_time_zone_changes() {
    let (jakarta_backend, url) = postgres_with(jakarta(), None).await;
    let s = &jakarta_backend.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    s.ingest(
        jkt.id,
        None,
        vec![row(jkt.id, "IN", 700, "2025-12-08T16:30:00Z")],
        now(),
    )
    .await
    .unwrap();
    let (papua, _) = postgres_with(
        BusinessCalendar::from_name("Asia/Jayapura").unwrap(),
        Some(url),
    )
    .await;
    let (_, days) = papua.store.daily(None, DateRange::ALL).await.unwrap();
    assert_eq!(days[0].date.to_string(), "2025-12-09");
}

#[tokio::test]
async fn sqlite_hq_file_is_held_by_one_process() {
    let dir = tempfile::tempdir().unwrap();
    let target = SqliteTarget::File(dir.path().join("hq.db"));
    let first = SqliteDb::open(&target).await.unwrap();
    let (writer, reader) = first.connections();
    let _store = HqStore::new(writer, reader, jakarta(), Some(std::sync::Arc::new(first)));
    assert!(SqliteDb::open(&target).await.is_err());
}

/// Reads a branch's whole feed page by page (`limit` rows a page).
async fn read_feed(s: &HqStore, branch: BranchId, limit: u32) -> Vec<kh_ports::FeedRow> {
    let mut after = 0;
    let mut rows = Vec::new();
    loop {
        let page = s.feed(branch, after, limit).await.unwrap();
        assert!(page.items.len() <= limit as usize);
        if let Some(last) = page.items.last() {
            after = last.seq;
        }
        rows.extend(page.items);
        if !page.more {
            assert_eq!(page.total, None, "a caught-up page costs no count");
            return rows;
        }
        assert!(
            page.total.is_some(),
            "a page with more says the branch's count"
        );
    }
}

async fn a_branch_feed_holds_its_rows_in_order_each_once(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    let pc1 = kh_domain::DeviceId::new_v4();
    let pc2 = kh_domain::DeviceId::new_v4();
    let first: Vec<NewTransaction> = (0..5)
        .map(|i| row(jkt.id, "IN", 1_000 + i, "2025-12-08T03:00:00.123Z"))
        .collect();
    s.ingest(jkt.id, Some(pc1), first.clone(), now())
        .await
        .unwrap();
    s.ingest(
        bdg.id,
        Some(pc2),
        vec![row(bdg.id, "OUT", 7, "2025-12-08T04:00:00Z")],
        now(),
    )
    .await
    .unwrap();
    // A void and a new entry in one push, from the second PC; a re-sent row changes nothing.
    let later = row(jkt.id, "OUT", 2_500, "2025-12-09T03:00:00Z");
    s.ingest(
        jkt.id,
        Some(pc2),
        vec![void_of(&first[1]), later.clone(), first[0].clone()],
        now(),
    )
    .await
    .unwrap();

    let page = s.feed(jkt.id, 0, 4).await.unwrap();
    assert_eq!(page.items.len(), 4);
    assert!(page.more);
    assert_eq!(page.total, Some(7), "five entries, a void, a later entry");

    let feed = read_feed(s, jkt.id, 3).await;
    let ids: Vec<TransactionId> = feed.iter().map(|r| r.tx.id).collect();
    assert_eq!(feed.len(), 7, "{ids:?}");
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        7,
        "no row is served twice"
    );
    assert!(
        feed.windows(2).all(|w| w[0].seq < w[1].seq),
        "the feed goes forward"
    );
    assert!(feed.iter().all(|r| r.tx.branch_id == Some(jkt.id)));
    let at = |id: TransactionId| ids.iter().position(|x| *x == id).unwrap();
    let void = feed.iter().find(|r| r.tx.reverses_id.is_some()).unwrap();
    assert!(
        at(first[1].id) < at(void.tx.id),
        "an original comes before its void"
    );
    assert_eq!(void.device, Some(pc2));
    assert_eq!(feed[0].device, Some(pc1));
    assert_eq!(feed[0].received_at, now());
    assert_eq!(
        feed[at(later.id)].tx,
        later,
        "a row reads back as it was pushed"
    );

    let end = feed.last().unwrap().seq;
    let tail = s.feed(jkt.id, end, 500).await.unwrap();
    assert!(tail.items.is_empty() && !tail.more && tail.total.is_none());
    assert_eq!(
        read_feed(s, bdg.id, 500).await.len(),
        1,
        "each branch has its own feed"
    );
}
contract!(a_branch_feed_holds_its_rows_in_order_each_once);

async fn devices_are_listed_with_their_last_contact(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let pc = kh_domain::DeviceId::new_v4();
    s.touch_device(jkt.id, pc, now()).await.unwrap();
    s.touch_device(jkt.id, pc, now() + Duration::minutes(3))
        .await
        .unwrap();
    let devices = s.devices().await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].id, pc);
    assert_eq!(devices[0].branch, jkt.id);
    assert_eq!(devices[0].first_seen_at, now());
    assert_eq!(devices[0].last_seen_at, now() + Duration::minutes(3));
    assert_eq!(
        devices[0].pull_quarantined, 0,
        "nothing held apart until said"
    );

    // What a PC says it holds apart from HQ's feed: kept (and replaced) with its contact; a
    // PC first heard of through it is added.
    s.note_held(jkt.id, pc, 4, now() + Duration::minutes(5))
        .await
        .unwrap();
    let other = kh_domain::DeviceId::new_v4();
    s.note_held(jkt.id, other, 1, now() + Duration::minutes(6))
        .await
        .unwrap();
    s.touch_device(jkt.id, pc, now() + Duration::minutes(7))
        .await
        .unwrap();
    let devices = s.devices().await.unwrap();
    let held: Vec<_> = devices
        .iter()
        .map(|d| (d.id, d.pull_quarantined, d.last_seen_at))
        .collect();
    assert_eq!(
        held,
        [
            (pc, 4, now() + Duration::minutes(7)),
            (other, 1, now() + Duration::minutes(6))
        ]
    );
    s.note_held(jkt.id, pc, 0, now() + Duration::minutes(8))
        .await
        .unwrap();
    assert_eq!(s.devices().await.unwrap()[0].pull_quarantined, 0);
}
contract!(devices_are_listed_with_their_last_contact);

/// Pushers of one branch race a reader of its feed: whatever the interleaving, the reader
/// never skips a row (a push that took lower numbers but committed later would be one).
async fn a_feed_reader_racing_pushers_misses_nothing(b: Backend) {
    let s = b.store.clone();
    let (jkt, _) = new_branch(&s, "JKT-01").await;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut pushers = Vec::new();
    for p in 0..6 {
        let s = s.clone();
        pushers.push(tokio::spawn(async move {
            let device = Some(kh_domain::DeviceId::new_v4());
            let mut ids = Vec::new();
            for push in 0..15 {
                let rows: Vec<NewTransaction> = (0..(5 + (p + push) % 20))
                    .map(|i| row(jkt.id, "IN", 1 + i, "2025-12-08T03:00:00Z"))
                    .collect();
                loop {
                    match s.ingest(jkt.id, device, rows.clone(), now()).await {
                        Ok(out) => {
                            ids.extend(out.accepted);
                            break;
                        }
                        Err(HqError::Unavailable(_)) => tokio::task::yield_now().await,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            ids
        }));
    }
    let reader = {
        let s = s.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut after = 0;
            let mut seen = Vec::new();
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let page = s.feed(jkt.id, after, 7).await.unwrap();
                for r in &page.items {
                    assert!(r.seq > after, "the feed went backwards");
                    after = r.seq;
                    seen.push(r.tx.id);
                }
                if finished && !page.more {
                    return seen;
                }
                tokio::task::yield_now().await;
            }
        })
    };
    let mut pushed = HashSet::new();
    for p in pushers {
        pushed.extend(p.await.unwrap());
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.await.unwrap();
    let unique: HashSet<TransactionId> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "the reader got a row twice");
    assert_eq!(unique, pushed, "the reader missed a row");
}
contract!(a_feed_reader_racing_pushers_misses_nothing);

contract!(hqs_lists_start_with_the_defaults_and_every_change_takes_the_next_version);
async fn hqs_lists_start_with_the_defaults_and_every_change_takes_the_next_version(b: Backend) {
    use kh_domain::{
        CASH_CHANNEL_ID, Category, CategoryUse, ChannelKind, ChannelName, default_categories,
        default_channels,
    };
    use kh_ports::{CategoryChange, ChannelChange, HqLists};

    let s = &b.store;
    let all = s.lists_since(0).await.unwrap();
    assert_eq!(all.version, 1);
    assert!(all.allow_new_categories);
    assert_eq!(all.channels.len(), default_channels().len());
    assert_eq!(all.channels[0].id, CASH_CHANNEL_ID, "cash first");
    assert_eq!(all.categories.len(), default_categories().len());
    // Up to date: nothing travels.
    let none = s.lists_since(1).await.unwrap();
    assert!(none.channels.is_empty() && none.categories.is_empty());
    assert_eq!(none.version, 1);

    let gopay = s
        .add_channel(
            ChannelName::parse("name", "GoPay").unwrap(),
            ChannelKind::NonCash,
            now(),
        )
        .await
        .unwrap();
    let taken = s
        .add_channel(
            ChannelName::parse("name", " gopay ").unwrap(),
            ChannelKind::NonCash,
            now(),
        )
        .await;
    assert!(matches!(taken, Err(HqError::NameTaken(_))), "{taken:?}");
    let parkir = s
        .add_category(Category::parse("Parkir").unwrap(), CategoryUse::Out, now())
        .await
        .unwrap();
    let qris = default_channels()[1].id;
    let off = s
        .change_channel(
            qris,
            ChannelChange {
                active: Some(false),
                ..ChannelChange::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert!(!off.active);
    assert_eq!(off.name.as_str(), "QRIS");
    let renamed = s
        .change_category(
            parkir.id,
            CategoryChange {
                name: Some(Category::parse("Parkir & Tol").unwrap()),
                usage: Some(CategoryUse::Both),
                ..CategoryChange::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.usage, CategoryUse::Both);
    let missing = s
        .change_category(
            kh_domain::CategoryId::new_v4(),
            CategoryChange {
                active: Some(false),
                ..CategoryChange::default()
            },
            now(),
        )
        .await;
    assert!(
        matches!(missing, Err(HqError::ItemNotFound(_))),
        "{missing:?}"
    );
    // A rename onto another item's name is refused and changes nothing.
    let clash = s
        .change_channel(
            gopay.id,
            ChannelChange {
                name: Some(ChannelName::parse("name", "TUNAI").unwrap()),
                ..ChannelChange::default()
            },
            now(),
        )
        .await;
    assert!(matches!(clash, Err(HqError::NameTaken(_))), "{clash:?}");
    assert_eq!(s.set_allow_new_categories(false, now()).await.unwrap(), 6);

    // Added (2), added (3), QRIS off (4), Parkir renamed (5), setting (6): a failed change
    // consumed no version, and a branch at 3 gets exactly what changed after it.
    let after3 = s.lists_since(3).await.unwrap();
    assert_eq!(after3.version, 6);
    assert!(!after3.allow_new_categories);
    let channel_ids: Vec<_> = after3.channels.iter().map(|c| c.id).collect();
    assert_eq!(channel_ids, [qris]);
    assert_eq!(after3.categories.len(), 1);
    assert_eq!(after3.categories[0].name.as_str(), "Parkir & Tol");
    let everything = s.lists_since(0).await.unwrap();
    assert_eq!(everything.channels.len(), default_channels().len() + 1);
}

contract!(an_entrys_channel_is_stored_sent_down_and_filtered_on);
async fn an_entrys_channel_is_stored_sent_down_and_filtered_on(b: Backend) {
    use kh_domain::{ChannelRef, default_channels};

    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let qris = ChannelRef {
        id: default_channels()[1].id,
        name: default_channels()[1].name.clone(),
    };
    let cash = row(jkt.id, "IN", 1_000, "2025-12-08T03:00:00Z");
    let mut by_qris = row(jkt.id, "IN", 2_000, "2025-12-08T03:00:00Z");
    by_qris.channel = qris.clone();
    s.ingest(jkt.id, None, vec![cash.clone(), by_qris.clone()], now())
        .await
        .unwrap();
    // The same row again with another channel is a conflict, not a duplicate.
    let mut moved = cash.clone();
    moved.channel = qris.clone();
    let outcome = s.ingest(jkt.id, None, vec![moved], now()).await.unwrap();
    assert_eq!(outcome.rejected.len(), 1, "{outcome:?}");

    let page = s.feed(jkt.id, 0, 10).await.unwrap();
    let sent: Vec<_> = page.items.iter().map(|r| r.tx.channel.clone()).collect();
    assert!(
        sent.contains(&ChannelRef::cash()) && sent.contains(&qris),
        "{sent:?}"
    );
    let query = ListQuery {
        channel: Some(qris.id),
        ..ListQuery::default()
    };
    let listed = HqLedger::list(s, &query).await.unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].id, by_qris.id);
    assert_eq!(listed.items[0].channel, qris);
}

contract!(staff_sessions_failures_and_the_audit_log_are_kept_in_the_database);
async fn staff_sessions_failures_and_the_audit_log_are_kept_in_the_database(b: Backend) {
    use kh_domain::{Email, HqUser, KeyHash, Role, SessionToken, UserId};
    use kh_ports::{AuditEntry, HqStaff, NewSession};

    let s = &b.store;
    let user = HqUser {
        id: UserId::new_v4(),
        email: Email::parse("pemilik@haramain.id").unwrap(),
        role: Role::Owner,
        disabled_at: None,
        created_at: now(),
    };
    s.create_user(&user, "$argon2id$hash").await.unwrap();
    let again = s
        .create_user(
            &HqUser {
                id: UserId::new_v4(),
                ..user.clone()
            },
            "x",
        )
        .await;
    assert!(matches!(again, Err(HqError::NameTaken(_))), "{again:?}");
    let (found, hash) = s.user_by_email(&user.email).await.unwrap().unwrap();
    assert_eq!(
        (found.id, found.role, hash.as_str()),
        (user.id, Role::Owner, "$argon2id$hash")
    );

    let token = SessionToken::generate().unwrap();
    let expires = now() + Duration::hours(12);
    s.open_session(NewSession {
        token_hash: token.hash(),
        csrf_token: "c5rf".into(),
        user: user.id,
        at: now(),
        expires_at: expires,
    })
    .await
    .unwrap();
    let later = now() + Duration::hours(11);
    let live = s
        .session(&token.hash(), later, later + Duration::hours(12))
        .await
        .unwrap()
        .expect("a live session");
    assert_eq!(live.user.id, user.id);
    assert_eq!(live.csrf_token, "c5rf");
    // Used at 11 h, it now lasts until 23 h; unused after that, it is gone.
    let at_20h = now() + Duration::hours(20);
    assert!(
        s.session(&token.hash(), at_20h, at_20h)
            .await
            .unwrap()
            .is_some()
    );
    let next_day = now() + Duration::hours(30);
    assert!(
        s.session(&token.hash(), next_day, next_day)
            .await
            .unwrap()
            .is_none()
    );
    let stranger = KeyHash::from_bytes(&[7; 32]).unwrap();
    assert!(s.session(&stranger, now(), now()).await.unwrap().is_none());

    // Opening a session forgets every one that expired before it, so the table of sessions
    // does not grow with every sign-in forever.
    let old = SessionToken::generate().unwrap();
    s.open_session(NewSession {
        token_hash: old.hash(),
        csrf_token: "o".into(),
        user: user.id,
        at: now(),
        expires_at: now() + Duration::hours(1),
    })
    .await
    .unwrap();
    let fresh = SessionToken::generate().unwrap();
    s.open_session(NewSession {
        token_hash: fresh.hash(),
        csrf_token: "f".into(),
        user: user.id,
        at: now() + Duration::hours(2),
        expires_at: now() + Duration::hours(14),
    })
    .await
    .unwrap();
    assert!(
        s.session(&old.hash(), now(), now())
            .await
            .unwrap()
            .is_none(),
        "asked about a moment it was live, the expired session is no longer stored"
    );
    let at_3h = now() + Duration::hours(3);
    assert!(
        s.session(&fresh.hash(), at_3h, at_3h + Duration::hours(12))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.session(&token.hash(), at_3h, at_20h)
            .await
            .unwrap()
            .is_some(),
        "a session still live is kept"
    );

    // Disabling a user ends its sessions.
    let second = SessionToken::generate().unwrap();
    s.open_session(NewSession {
        token_hash: second.hash(),
        csrf_token: "x".into(),
        user: user.id,
        at: now(),
        expires_at: expires,
    })
    .await
    .unwrap();
    let disabled = s.set_disabled(user.id, Some(now())).await.unwrap();
    assert!(disabled.disabled_at.is_some());
    assert!(
        s.session(&second.hash(), now(), expires)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        s.set_disabled(UserId::new_v4(), None).await,
        Err(HqError::ItemNotFound(_))
    ));

    // Sign-in attempts count as failures until cleared; past `max` in the window an attempt
    // is refused and not counted.
    let at = |minute| now() + Duration::minutes(minute);
    for minute in 0..3 {
        assert!(
            s.try_sign_in(&user.email, at(minute), at(0), 5)
                .await
                .unwrap()
        );
    }
    assert!(
        !s.try_sign_in(&user.email, at(3), at(1), 2).await.unwrap(),
        "two failures at or after minute 1"
    );
    assert!(s.try_sign_in(&user.email, at(3), at(1), 3).await.unwrap());
    assert!(
        !s.try_sign_in(&user.email, at(4), at(1), 3).await.unwrap(),
        "the refused attempt above was not counted, the allowed one was"
    );
    // Somebody else's failures, one old and one recent: a sign-in clears its own email's and
    // every stale one, and leaves the recent one counting.
    let other = kh_domain::Email::parse("tamu@haramain.id").unwrap();
    assert!(s.try_sign_in(&other, at(-60), at(-60), 5).await.unwrap());
    assert!(s.try_sign_in(&other, at(4), at(4), 5).await.unwrap());
    s.clear_failed_sign_ins(&user.email, at(0)).await.unwrap();
    assert!(
        s.try_sign_in(&other, at(5), at(-60), 2).await.unwrap(),
        "the old failure is gone: one of two counted"
    );
    assert!(
        !s.try_sign_in(&other, at(5), at(-60), 2).await.unwrap(),
        "the recent failure still counts, with the one just counted"
    );
    // Twenty attempts at once (on PostgreSQL each on its own connection): five go on.
    let tries =
        futures::future::join_all((0..20).map(|_| s.try_sign_in(&user.email, at(5), at(0), 5)))
            .await;
    let allowed = tries.iter().filter(|t| matches!(t, Ok(true))).count();
    let refused = tries.iter().filter(|t| matches!(t, Ok(false))).count();
    assert_eq!((allowed, refused), (5, 15), "{tries:?}");
    s.clear_failed_sign_ins(&user.email, at(0)).await.unwrap();
    assert!(s.try_sign_in(&user.email, at(5), at(0), 1).await.unwrap());

    for action in ["branch.create", "list.channel.add"] {
        s.audit(AuditEntry {
            at: now(),
            actor: "pemilik@haramain.id".into(),
            action: action.into(),
            target: "JKT-01".into(),
        })
        .await
        .unwrap();
    }
    let log = s.audit_log(10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "list.channel.add", "newest first");
}

contract!(refused_rows_are_counted_per_branch);
async fn refused_rows_are_counted_per_branch(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    assert!(s.refusals().await.unwrap().is_empty());
    s.note_refusals(jkt.id, 2, now()).await.unwrap();
    let later = now() + Duration::hours(1);
    s.note_refusals(jkt.id, 3, later).await.unwrap();
    let all = s.refusals().await.unwrap();
    assert_eq!(all.len(), 1, "only the branch with refusals: {all:?}");
    assert_eq!(
        (all[0].branch, all[0].count, all[0].last_at),
        (jkt.id, 5, later)
    );
    assert!(all.iter().all(|r| r.branch != bdg.id));
}

/// Branch staff (DESIGN 10.2): names unique per branch (spelling aside), every change on the
/// lists' version counter, and a branch asking "after V" gets only its own members changed
/// after V.
async fn branch_staff_are_versioned_with_the_lists_per_branch(b: Backend) {
    use kh_domain::{PinHash, StaffId, StaffName, StaffRole};
    use kh_ports::{HqBranchStaff, HqLists, StaffChange};

    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    let hash = |n: u8| PinHash::new(format!("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$hash{n}"));
    let name = |n: &str| StaffName::parse(n).unwrap();

    let unknown = BranchId::new_v4();
    assert!(matches!(
        s.add_staff(unknown, name("Siti"), StaffRole::Cashier, hash(1), now())
            .await,
        Err(HqError::BranchNotFound(id)) if id == unknown
    ));
    let siti = s
        .add_staff(jkt.id, name("Siti"), StaffRole::Cashier, hash(1), now())
        .await
        .unwrap();
    let before_budi = s.lists_since(0).await.unwrap().version;
    assert_eq!(siti.version, before_budi, "took the lists' version");
    let budi = s
        .add_staff(jkt.id, name("Budi"), StaffRole::Supervisor, hash(2), now())
        .await
        .unwrap();
    assert!(budi.version > siti.version);
    assert!(matches!(
        s.add_staff(jkt.id, name("  SITI "), StaffRole::Cashier, hash(3), now())
            .await,
        Err(HqError::NameTaken(_))
    ));
    // Another branch may have its own Siti.
    s.add_staff(bdg.id, name("Siti"), StaffRole::Cashier, hash(4), now())
        .await
        .unwrap();

    let all: Vec<_> = s.staff_since(jkt.id, 0).await.unwrap();
    assert_eq!(
        all.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["Budi", "Siti"],
        "by name, only this branch's"
    );
    assert_eq!(all[1], siti, "kept as made, the PIN's hash too");
    let later: Vec<_> = s.staff_since(jkt.id, before_budi).await.unwrap();
    assert_eq!(later, std::slice::from_ref(&budi));

    let (branch, off) = s
        .change_staff(
            siti.id,
            StaffChange {
                active: Some(false),
                pin_hash: Some(hash(9)),
                ..StaffChange::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!(branch, jkt.id);
    assert!(!off.active && off.pin_hash == hash(9) && off.name == siti.name);
    assert!(off.version > budi.version);
    assert_eq!(s.staff_since(jkt.id, budi.version).await.unwrap(), [off]);
    assert!(matches!(
        s.change_staff(
            budi.id,
            StaffChange {
                name: Some(name("siti")),
                ..StaffChange::default()
            },
            now()
        )
        .await,
        Err(HqError::NameTaken(_))
    ));
    assert!(matches!(
        s.change_staff(StaffId::new_v4(), StaffChange::default(), now())
            .await,
        Err(HqError::ItemNotFound(_))
    ));
    assert_eq!(
        s.lists_since(0).await.unwrap().version,
        s.staff_since(jkt.id, 0)
            .await
            .unwrap()
            .iter()
            .chain(s.staff_since(bdg.id, 0).await.unwrap().iter())
            .map(|m| m.version)
            .max()
            .unwrap(),
        "a refused change takes no version that is ever seen"
    );
}
contract!(branch_staff_are_versioned_with_the_lists_per_branch);

/// A pushed row's recorder and approver are kept, served in the feed and the listing, and the
/// listing filters by the recorder.
async fn who_recorded_a_row_travels_through_hq(b: Backend) {
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let siti = kh_domain::StaffId::new_v4();
    let id = TransactionId::new_v4().to_string();
    let siti_text = siti.to_string();
    let budi_text = kh_domain::StaffId::new_v4().to_string();
    let input = SyncedInput {
        id: &id,
        tx_type: "OUT",
        amount: 20_000,
        category: "Operasional",
        occurred_at: "2025-12-08T03:00:00Z",
        created_at: "2025-12-08T03:00:00Z",
        recorded_by: Some(&siti_text),
        recorded_by_name: Some("Siti"),
        approved_by: Some(&budi_text),
        approved_by_name: Some("Budi"),
        ..SyncedInput::default()
    };
    let by_siti = NewTransaction::from_synced(&input, jkt.id).unwrap();
    let plain = row(jkt.id, "IN", 5_000, "2025-12-08T04:00:00Z");
    s.ingest(jkt.id, None, vec![by_siti.clone(), plain.clone()], now())
        .await
        .unwrap();
    let feed = s.feed(jkt.id, 0, 10).await.unwrap();
    let fed = feed.items.iter().find(|r| r.tx.id == by_siti.id).unwrap();
    assert_eq!(fed.tx.recorded_by, by_siti.recorded_by);
    assert_eq!(fed.tx.approved_by, by_siti.approved_by);
    let listed = HqLedger::list(
        s,
        &ListQuery {
            recorded_by: Some(siti),
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(
        listed.items[0]
            .recorded_by
            .as_ref()
            .map(|w| w.name.as_str()),
        Some("Siti")
    );
    // Replaying the same row is a duplicate, not a conflict.
    let again = s.ingest(jkt.id, None, vec![by_siti], now()).await.unwrap();
    assert_eq!(again.duplicates.len(), 1);
}
contract!(who_recorded_a_row_travels_through_hq);

fn shift_at(opened_at: &str, float: i64) -> kh_ports::ShiftView {
    let opened_at = DateTime::parse_from_rfc3339(opened_at)
        .unwrap()
        .with_timezone(&Utc);
    kh_ports::ShiftView::new(
        kh_domain::Shift {
            id: kh_domain::ShiftId::new_v4(),
            opened_at,
            opened_by: None,
            opening_float: float,
            suggested_float: Some(float),
            opening_note: None,
            close: None,
        },
        kh_ports::ShiftCash::default(),
    )
}

/// Closes `view` with `counts` against what its cash moved.
fn closed(
    mut view: kh_ports::ShiftView,
    cash_in: i64,
    counts: &[(&str, i64)],
) -> kh_ports::ShiftView {
    let counts = kh_domain::CashCount::parse(counts.iter().copied()).unwrap();
    view.cash = kh_ports::ShiftCash {
        cash_in,
        cash_out: 0,
        entries: 3,
    };
    view.shift.close = Some(kh_domain::ShiftClose {
        closed_at: view.shift.opened_at + Duration::hours(8),
        closed_by: None,
        counted: counts.total(),
        counts,
        expected: view.shift.opening_float + cash_in,
        note: Some(kh_domain::ShiftNote::parse("selisih").unwrap()),
        approved_by: None,
    });
    kh_ports::ShiftView::new(view.shift, view.cash)
}

/// Shifts at HQ (DESIGN 11): stored once, closed once, a different close or another branch's
/// id refused; listed per branch and business day; summed per branch; open too long and large
/// differences found.
async fn shifts_are_stored_once_closed_once_and_summed_per_branch(b: Backend) {
    use kh_ports::{HqShifts, ShiftVerdict};
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    let (bdg, _) = new_branch(s, "BDG-01").await;
    let pc = kh_domain::DeviceId::new_v4();
    // 23:30 UTC on the 14th is 06:30 WIB on the 15th: the 15th's business day.
    let morning = shift_at("2026-01-14T23:30:00.000Z", 200_000);
    let evening = shift_at("2026-01-15T10:00:00.000Z", 100_000);
    let put = |shifts: Vec<kh_ports::ShiftView>, branch: BranchId| async move {
        s.put_shifts(branch, Some(pc), shifts, now()).await.unwrap()
    };
    let verdicts = put(vec![morning.clone(), evening.clone()], jkt.id).await;
    assert_eq!(verdicts[0], (morning.shift.id, ShiftVerdict::Stored));
    assert_eq!(verdicts[1], (evening.shift.id, ShiftVerdict::Stored));
    // A re-send of the opening is a duplicate; its close is stored once.
    assert_eq!(
        put(vec![morning.clone()], jkt.id).await[0].1,
        ShiftVerdict::Duplicate
    );
    let morning_closed = closed(
        morning.clone(),
        50_000,
        &[("note_100000", 2), ("note_20000", 2), ("note_5000", 1)],
    );
    assert_eq!(
        morning_closed.shift.close.as_ref().unwrap().difference(),
        -5_000
    );
    assert_eq!(
        put(vec![morning_closed.clone()], jkt.id).await[0].1,
        ShiftVerdict::Stored
    );
    assert_eq!(
        put(vec![morning_closed.clone()], jkt.id).await[0].1,
        ShiftVerdict::Duplicate
    );
    // The opening sent again after its close changes nothing.
    assert_eq!(
        put(vec![morning.clone()], jkt.id).await[0].1,
        ShiftVerdict::Duplicate
    );
    // Another close of the same shift, or the shift from another branch: refused.
    let other_close = closed(
        morning.clone(),
        50_000,
        &[("note_100000", 2), ("note_50000", 1)],
    );
    assert!(matches!(
        put(vec![other_close], jkt.id).await[0].1,
        ShiftVerdict::Refused(kh_domain::RejectionCode::Conflict, _)
    ));
    assert!(matches!(
        put(vec![evening.clone()], bdg.id).await[0].1,
        ShiftVerdict::Refused(kh_domain::RejectionCode::Conflict, _)
    ));
    // An opening never changes: the opening or a close sent with another float is refused,
    // so a close never stands beside a float it was not counted against.
    let mut other_float = evening.clone();
    other_float.shift.opening_float = 500_000;
    assert!(matches!(
        put(vec![other_float.clone()], jkt.id).await[0].1,
        ShiftVerdict::Refused(kh_domain::RejectionCode::Conflict, _)
    ));
    let closed_on_other_float = closed(other_float, 0, &[("note_100000", 5)]);
    assert!(matches!(
        put(vec![closed_on_other_float], jkt.id).await[0].1,
        ShiftVerdict::Refused(kh_domain::RejectionCode::Conflict, _)
    ));

    let page = s
        .branch_shifts(
            jkt.id,
            DateRange::parse(Some("2026-01-15"), Some("2026-01-15")).unwrap(),
            1,
            10,
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    let ids: Vec<_> = page.items.iter().map(|h| h.view.shift.id).collect();
    assert_eq!(ids, [evening.shift.id, morning.shift.id], "newest first");
    let held = &page.items[1];
    assert_eq!(held.business_date.to_string(), "2026-01-15");
    assert_eq!(held.device, Some(pc));
    assert_eq!(held.view, morning_closed, "the close reads back as sent");
    assert_eq!(
        s.branch_shifts(
            jkt.id,
            DateRange::parse(Some("2026-01-14"), Some("2026-01-14")).unwrap(),
            1,
            10
        )
        .await
        .unwrap()
        .total,
        0
    );
    assert_eq!(
        s.branch_shifts(bdg.id, DateRange::ALL, 1, 10)
            .await
            .unwrap()
            .total,
        0
    );

    let totals = s.shift_totals(DateRange::ALL).await.unwrap();
    assert_eq!(
        totals.len(),
        1,
        "only the branch with a closed shift: {totals:?}"
    );
    assert_eq!(totals[0].0, jkt.id);
    assert_eq!(
        (
            totals[0].1.closed,
            totals[0].1.difference,
            totals[0].1.short,
            totals[0].1.over
        ),
        (1, -5_000, -5_000, 0)
    );

    // The evening shift is still open a day later; the morning's difference is under Rp 10.000.
    let day_later = evening.shift.opened_at + Duration::hours(25);
    let open = s
        .open_before(day_later - Duration::hours(24), 10)
        .await
        .unwrap();
    assert_eq!(
        open.iter().map(|h| h.view.shift.id).collect::<Vec<_>>(),
        [evening.shift.id]
    );
    assert!(
        s.open_before(evening.shift.opened_at, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let week_ago = day_later - Duration::days(7);
    assert!(
        s.differences_over(10_000, week_ago, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let large = s.differences_over(4_999, week_ago, 10).await.unwrap();
    assert_eq!(large.len(), 1);
    assert_eq!(large[0].view.shift.id, morning.shift.id);
}
contract!(shifts_are_stored_once_closed_once_and_summed_per_branch);

/// HQ's day start (`KH_BUSINESS_DAY_STARTS_AT`): reopened with 04:00, HQ rebuilds its per-day
/// totals and its shifts' days, so an entry and a shift at 00:30 WIB fall on the day before.
async fn a_four_oclock_day_start_puts_half_past_midnight_on_the_day_before(b: Backend) {
    use kh_ports::HqShifts;
    let s = &b.store;
    let (jkt, _) = new_branch(s, "JKT-01").await;
    // 17:30 UTC on the 8th is 00:30 WIB on the 9th.
    s.ingest(
        jkt.id,
        None,
        vec![row(jkt.id, "IN", 700, "2025-12-08T17:30:00Z")],
        now(),
    )
    .await
    .unwrap();
    s.put_shifts(
        jkt.id,
        None,
        vec![shift_at("2025-12-08T17:30:00.000Z", 0)],
        now(),
    )
    .await
    .unwrap();
    let (_, days) = s.daily(None, DateRange::ALL).await.unwrap();
    assert_eq!(days[0].date.to_string(), "2025-12-09");

    let b = b.reopen(jakarta().with_day_start(240)).await;
    let s = &b.store;
    let (_, days) = s.daily(None, DateRange::ALL).await.unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].date.to_string(), "2025-12-08");
    assert_eq!(days[0].totals.total_in, 700);
    let d8 = DateRange::parse(Some("2025-12-08"), Some("2025-12-08")).unwrap();
    let shifts = s.branch_shifts(jkt.id, d8, 1, 10).await.unwrap();
    assert_eq!(shifts.total, 1, "the shift moved to the 8th too");
    // The entries of the 8th, listed by their times, are the same one.
    let listed = HqLedger::list(
        s,
        &ListQuery {
            range: d8,
            page: 1,
            limit: 10,
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(listed.total, 1);
}
contract!(a_four_oclock_day_start_puts_half_past_midnight_on_the_day_before);

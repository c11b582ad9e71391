//! The worker's rules, one tick at a time: a real SQLite outbox, a scripted HQ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use async_trait::async_trait;
use kh_adapters_sqlite::{BranchStore, SqliteDb, SqliteTarget};
use kh_domain::chrono::Utc;
use kh_domain::{BranchId, BusinessCalendar, NewTransaction, NewTransactionInput, Transaction};
use kh_ports::services::CurrentBranch;
use kh_ports::{
    BranchIdentity, GatewayError, Ledger, LinkStatus, Outbox, PushReply, SyncCredentials,
    SyncGateway, SyncSettings, SystemClock,
};
use kh_sync_worker::{SyncWorker, TickOutcome};

/// What the scripted HQ does with the next push.
#[derive(Clone)]
enum Answer {
    /// Accept every row.
    AcceptAll,
    /// Reject the rows whose amount is this, accept the rest.
    RejectAmount(i64),
    /// Fail with this error.
    Fail(GatewayError),
    /// Answer about none of the rows.
    Nothing,
}

#[derive(Default)]
struct ScriptedHq {
    answers: Mutex<VecDeque<Answer>>,
    pushes: Mutex<Vec<usize>>,
    identity: Mutex<Option<Result<BranchIdentity, GatewayError>>>,
}

#[async_trait]
impl SyncGateway for ScriptedHq {
    async fn whoami(&self, _: &SyncCredentials) -> Result<BranchIdentity, GatewayError> {
        self.identity
            .lock()
            .unwrap()
            .clone()
            .expect("whoami was not expected")
    }

    async fn push(
        &self,
        _: &SyncCredentials,
        rows: &[Transaction],
    ) -> Result<PushReply, GatewayError> {
        self.pushes.lock().unwrap().push(rows.len());
        let answer = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Answer::AcceptAll);
        match answer {
            Answer::AcceptAll => Ok(PushReply {
                accepted: rows.iter().map(|r| r.id).collect(),
                ..PushReply::default()
            }),
            Answer::RejectAmount(amount) => Ok(PushReply {
                accepted: rows
                    .iter()
                    .filter(|r| r.amount.rupiah() != amount)
                    .map(|r| r.id)
                    .collect(),
                duplicates: vec![],
                rejected: rows
                    .iter()
                    .filter(|r| r.amount.rupiah() == amount)
                    .map(|r| (r.id, "validation_failed: category: not allowed".to_owned()))
                    .collect(),
            }),
            Answer::Fail(e) => Err(e),
            Answer::Nothing => Ok(PushReply::default()),
        }
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: BranchStore,
    hq: Arc<ScriptedHq>,
    worker: SyncWorker<Arc<BranchStore>, Arc<BranchStore>, Arc<ScriptedHq>, SystemClock>,
    branch: CurrentBranch,
}

async fn fixture(batch: u32, identity: Option<BranchIdentity>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = SqliteDb::open_branch(&SqliteTarget::File(dir.path().join("b.db")))
        .await
        .unwrap();
    let store = BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta").unwrap())
        .await
        .unwrap();
    let creds = SyncCredentials {
        cloud_url: "http://hq".into(),
        api_key: "kh_key".into(),
    };
    store.activate(&creds, identity).await.unwrap();
    let hq = Arc::new(ScriptedHq::default());
    let shared = Arc::new(store.clone());
    let branch = CurrentBranch::default();
    let worker = SyncWorker::new(
        shared.clone(),
        shared,
        hq.clone(),
        SystemClock,
        branch.clone(),
        batch,
    );
    Fixture {
        _dir: dir,
        store,
        hq,
        worker,
        branch,
    }
}

fn jakarta() -> BranchIdentity {
    BranchIdentity {
        id: BranchId::new_v4(),
        code: "JKT-01".into(),
        name: "Jakarta".into(),
    }
}

async fn record(store: &BranchStore, n: i64) {
    for amount in 1..=n {
        let input = NewTransactionInput {
            tx_type: "IN",
            amount,
            category: "Penjualan",
            ..Default::default()
        };
        store
            .record(NewTransaction::from_input(&input, Utc::now()).unwrap())
            .await
            .unwrap();
    }
}

fn go() -> AtomicBool {
    AtomicBool::new(false)
}

#[tokio::test]
async fn a_backlog_drains_batch_after_batch_in_one_tick() {
    let f = fixture(10, Some(jakarta())).await;
    record(&f.store, 35).await;
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 35 }
    );
    assert_eq!(*f.hq.pushes.lock().unwrap(), [10, 10, 10, 5]);
    assert_eq!(f.store.counts().await.unwrap().pending, 0);
    let activity = f.store.activity().await.unwrap();
    assert_eq!(activity.link, LinkStatus::Online);
    assert!(activity.last_sync_at.is_some() && activity.last_error.is_none());
}

#[tokio::test]
async fn rejected_rows_are_quarantined_and_never_block_the_rest() {
    let f = fixture(5, Some(jakarta())).await;
    record(&f.store, 12).await;
    f.hq.answers
        .lock()
        .unwrap()
        .push_back(Answer::RejectAmount(2));
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 11 }
    );
    let counts = f.store.counts().await.unwrap();
    assert_eq!((counts.pending, counts.rejected), (0, 1));
    // Retry after the cause is fixed: it goes out on the next tick.
    f.store.retry_rejected().await.unwrap();
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 1 }
    );
    assert_eq!(f.store.counts().await.unwrap().rejected, 0);
}

#[tokio::test]
async fn an_unreachable_hq_changes_nothing_and_is_reported() {
    let f = fixture(5, Some(jakarta())).await;
    record(&f.store, 7).await;
    f.hq.answers.lock().unwrap().extend([
        Answer::AcceptAll,
        Answer::Fail(GatewayError::Unreachable("timed out".into())),
    ]);
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Offline { pushed: 5 }
    );
    assert_eq!(
        f.store.counts().await.unwrap().pending,
        2,
        "only confirmed rows left the outbox"
    );
    let activity = f.store.activity().await.unwrap();
    assert_eq!(activity.link, LinkStatus::Offline);
    assert!(activity.last_error.unwrap().contains("timed out"));
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 2 }
    );
}

#[tokio::test]
async fn a_refused_key_stops_pushing_until_the_pc_is_activated_again() {
    let f = fixture(5, Some(jakarta())).await;
    record(&f.store, 3).await;
    f.hq.answers
        .lock()
        .unwrap()
        .push_back(Answer::Fail(GatewayError::Unauthorized("401".into())));
    assert_eq!(f.worker.tick(&go()).await, TickOutcome::Unauthorized);
    assert_eq!(f.worker.tick(&go()).await, TickOutcome::Unauthorized);
    assert_eq!(
        f.hq.pushes.lock().unwrap().len(),
        1,
        "no push while unauthorized"
    );
    assert_eq!(f.store.counts().await.unwrap().pending, 3, "nothing lost");
    let creds = SyncCredentials {
        cloud_url: "http://hq".into(),
        api_key: "kh_new".into(),
    };
    f.store.activate(&creds, Some(jakarta())).await.unwrap();
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 3 }
    );
}

#[tokio::test]
async fn too_large_pushes_are_split() {
    let f = fixture(8, Some(jakarta())).await;
    record(&f.store, 8).await;
    f.hq.answers.lock().unwrap().extend([
        Answer::Fail(GatewayError::TooLarge("413".into())),
        Answer::Fail(GatewayError::TooLarge("413".into())),
    ]);
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 8 }
    );
    assert_eq!(*f.hq.pushes.lock().unwrap(), [8, 4, 2, 2, 2, 2]);
}

#[tokio::test]
async fn the_branch_identity_is_learnt_on_first_contact_and_stamped_on_old_rows() {
    let f = fixture(5, None).await;
    record(&f.store, 2).await;
    let identity = jakarta();
    *f.hq.identity.lock().unwrap() = Some(Ok(identity.clone()));
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 2 }
    );
    assert_eq!(f.store.identity().await.unwrap(), Some(identity.clone()));
    assert_eq!(f.branch.get(), Some(identity.id));
    let page = f.store.list(&kh_ports::ListQuery::default()).await.unwrap();
    assert!(page.items.iter().all(|t| t.branch_id == Some(identity.id)));
}

#[tokio::test]
async fn an_answer_about_no_row_is_not_retried_in_a_loop() {
    let f = fixture(5, Some(jakarta())).await;
    record(&f.store, 2).await;
    f.hq.answers.lock().unwrap().push_back(Answer::Nothing);
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Offline { pushed: 0 }
    );
    assert_eq!(f.hq.pushes.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_stop_request_is_honoured_between_batches() {
    let f = fixture(5, Some(jakarta())).await;
    record(&f.store, 2).await;
    assert_eq!(
        f.worker.tick(&AtomicBool::new(true)).await,
        TickOutcome::Stopped
    );
    assert!(f.hq.pushes.lock().unwrap().is_empty());
}

#[tokio::test]
async fn nothing_happens_before_activation() {
    let dir = tempfile::tempdir().unwrap();
    let db = SqliteDb::open_branch(&SqliteTarget::File(dir.path().join("b.db")))
        .await
        .unwrap();
    let store = Arc::new(
        BranchStore::new(db, BusinessCalendar::from_name("Asia/Jakarta").unwrap())
            .await
            .unwrap(),
    );
    let worker = SyncWorker::new(
        store.clone(),
        store,
        Arc::new(ScriptedHq::default()),
        SystemClock,
        CurrentBranch::default(),
        5,
    );
    assert_eq!(worker.tick(&go()).await, TickOutcome::Unconfigured);
}

//! The worker's rules, one tick at a time: a real SQLite outbox, a scripted HQ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use async_trait::async_trait;
use kh_adapters_sqlite::{BranchStore, SqliteDb, SqliteTarget};
use kh_domain::chrono::Utc;
use kh_domain::{
    BranchId, BusinessCalendar, HqEpoch, NewTransaction, NewTransactionInput, Transaction,
    TransactionId, VoidReason,
};
use kh_ports::services::{CurrentBranch, SyncProgress};
use kh_ports::{
    BranchIdentity, GatewayError, Inbox, Ledger, LinkStatus, Outbox, PulledPage, PulledRow,
    PushReply, Refusal, ShiftPushReply, ShiftStore, ShiftView, SyncCredentials, SyncGateway,
    SyncSettings, SystemClock,
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

/// What the branch's status said while HQ was handling a push.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SeenDuringPush {
    link: LinkStatus,
    sent: Option<u64>,
}

#[derive(Default)]
struct ScriptedHq {
    answers: Mutex<VecDeque<Answer>>,
    pushes: Mutex<Vec<usize>>,
    identity: Mutex<Option<Result<BranchIdentity, GatewayError>>>,
    whoami_calls: Mutex<usize>,
    /// Ids HQ holds, for answering voids as HQ does (`unknown_reference` before the original).
    held: Mutex<HashSet<TransactionId>>,
    /// When set, each push first looks at the branch's recorded status and progress.
    watch: Mutex<Option<(BranchStore, SyncProgress)>>,
    seen: Mutex<Vec<SeenDuringPush>>,
    /// When set, the next call to HQ is answered only after the PC was activated again with
    /// these settings (the cashier activated while the worker waited for HQ).
    activate_meanwhile: Mutex<Option<(BranchStore, SyncCredentials, BranchIdentity)>>,
    /// The branch's feed at HQ, in order.
    feed: Mutex<Vec<PulledRow>>,
    /// Pulls asked for (their `after`).
    pulls: Mutex<Vec<i64>>,
    /// What each pull said the book holds apart.
    held_said: Mutex<Vec<u64>>,
    /// When set, every pull fails with this.
    pull_error: Mutex<Option<GatewayError>>,
    /// The epoch HQ answers with.
    epoch: Mutex<Option<HqEpoch>>,
    /// HQ's lists; `None`: an HQ that cannot answer for them.
    lists: Mutex<Option<kh_domain::Lists>>,
    /// Versions the worker asked for lists after.
    list_asks: Mutex<Vec<i64>>,
    /// Every push of shifts, as sent.
    shift_pushes: Mutex<Vec<Vec<ShiftView>>>,
    /// When set, HQ refuses every shift with this code.
    refuse_shifts: Mutex<Option<String>>,
}

impl ScriptedHq {
    async fn maybe_activate(&self) {
        let pending = self.activate_meanwhile.lock().unwrap().take();
        if let Some((store, credentials, identity)) = pending {
            store.activate(&credentials, Some(identity)).await.unwrap();
        }
    }
}

#[async_trait]
impl SyncGateway for ScriptedHq {
    async fn whoami(&self, _: &SyncCredentials) -> Result<BranchIdentity, GatewayError> {
        *self.whoami_calls.lock().unwrap() += 1;
        self.maybe_activate().await;
        self.identity
            .lock()
            .unwrap()
            .clone()
            .expect("whoami was not expected")
    }

    async fn push_shifts(
        &self,
        _: &SyncCredentials,
        shifts: &[ShiftView],
    ) -> Result<ShiftPushReply, GatewayError> {
        self.shift_pushes.lock().unwrap().push(shifts.to_vec());
        let ids = shifts.iter().map(|s| s.shift.id);
        Ok(match self.refuse_shifts.lock().unwrap().clone() {
            None => ShiftPushReply {
                held: ids.collect(),
                rejected: vec![],
            },
            Some(code) => ShiftPushReply {
                held: vec![],
                rejected: ids.map(|id| (id, Refusal::new(&code, "refused"))).collect(),
            },
        })
    }

    async fn push(
        &self,
        _: &SyncCredentials,
        rows: &[Transaction],
    ) -> Result<PushReply, GatewayError> {
        self.pushes.lock().unwrap().push(rows.len());
        self.maybe_activate().await;
        let watch = self.watch.lock().unwrap().clone();
        if let Some((store, progress)) = watch {
            let link = store.activity().await.unwrap().link;
            self.seen.lock().unwrap().push(SeenDuringPush {
                link,
                sent: progress.sent(),
            });
        }
        let answer = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Answer::AcceptAll);
        match answer {
            Answer::AcceptAll => {
                let mut held = self.held.lock().unwrap();
                let mut reply = PushReply::default();
                for row in rows {
                    match row.reverses_id {
                        Some(original) if !held.contains(&original) => reply.rejected.push((
                            row.id,
                            Refusal::new(
                                "unknown_reference",
                                "the voided entry is not at HQ yet; the void will be accepted \
                                 once the original is pushed",
                            ),
                        )),
                        _ => {
                            held.insert(row.id);
                            reply.accepted.push(row.id);
                        }
                    }
                }
                Ok(reply)
            }
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
                    .map(|r| {
                        (
                            r.id,
                            Refusal::new("validation_failed", "category: not allowed"),
                        )
                    })
                    .collect(),
                epoch: None,
            }),
            Answer::Fail(e) => Err(e),
            Answer::Nothing => Ok(PushReply::default()),
        }
        .map(|mut reply| {
            reply.epoch = *self.epoch.lock().unwrap();
            reply
        })
    }

    async fn pull(
        &self,
        _: &SyncCredentials,
        after: i64,
        limit: u32,
        held: u64,
    ) -> Result<PulledPage, GatewayError> {
        self.pulls.lock().unwrap().push(after);
        self.held_said.lock().unwrap().push(held);
        if let Some(e) = self.pull_error.lock().unwrap().clone() {
            return Err(e);
        }
        let feed = self.feed.lock().unwrap();
        let rest: Vec<PulledRow> = feed.iter().filter(|r| r.seq > after).cloned().collect();
        let items: Vec<PulledRow> = rest.iter().take(limit as usize).cloned().collect();
        let more = rest.len() > items.len();
        Ok(PulledPage {
            next_after: items.last().map_or(after, |r| r.seq),
            more,
            total: more.then_some(feed.len() as u64),
            items,
            epoch: *self.epoch.lock().unwrap(),
        })
    }

    async fn lists(
        &self,
        _: &SyncCredentials,
        since: i64,
    ) -> Result<kh_domain::Lists, GatewayError> {
        self.list_asks.lock().unwrap().push(since);
        let held = self.lists.lock().unwrap().clone();
        let Some(mut lists) = held else {
            return Err(GatewayError::Protocol("404: no /sync/config here".into()));
        };
        if since >= lists.version {
            lists.categories.clear();
            lists.channels.clear();
        }
        Ok(lists)
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: BranchStore,
    hq: Arc<ScriptedHq>,
    worker: SyncWorker,
    branch: CurrentBranch,
    progress: SyncProgress,
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
    store.activate(&creds, identity.clone()).await.unwrap();
    let hq = Arc::new(ScriptedHq::default());
    *hq.identity.lock().unwrap() = identity.clone().map(Ok);
    let shared = Arc::new(store.clone());
    let branch = CurrentBranch::default();
    let progress = SyncProgress::default();
    let worker = SyncWorker::new(
        shared.clone(),
        shared.clone(),
        shared.clone(),
        shared.clone(),
        shared,
        hq.clone(),
        Arc::new(SystemClock),
        branch.clone(),
        progress.clone(),
        batch,
    );
    Fixture {
        _dir: dir,
        store,
        hq,
        worker,
        branch,
        progress,
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
            .record(
                NewTransaction::from_input(&input, Utc::now(), &kh_domain::Lists::defaults())
                    .unwrap(),
            )
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
        store.clone(),
        store.clone(),
        store.clone(),
        store,
        Arc::new(ScriptedHq::default()),
        Arc::new(SystemClock),
        CurrentBranch::default(),
        SyncProgress::default(),
        5,
    );
    assert_eq!(worker.tick(&go()).await, TickOutcome::Unconfigured);
}

#[tokio::test]
async fn an_empty_outbox_still_asks_hq_and_says_offline_when_it_does_not_answer() {
    let f = fixture(5, Some(jakarta())).await;
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 0 }
    );
    assert_eq!(*f.hq.pulls.lock().unwrap(), [0], "HQ was asked (its feed)");
    assert_eq!(
        *f.hq.whoami_calls.lock().unwrap(),
        0,
        "one question is enough"
    );
    assert_eq!(f.store.activity().await.unwrap().link, LinkStatus::Online);

    // HQ goes down with nothing to send: the status must not keep saying online.
    *f.hq.pull_error.lock().unwrap() = Some(GatewayError::Unreachable("connection refused".into()));
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Offline { pushed: 0 }
    );
    let activity = f.store.activity().await.unwrap();
    assert_eq!(activity.link, LinkStatus::Offline);
    assert!(
        activity
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("connection refused"))
    );

    // A key HQ stopped taking is noticed without an entry to push.
    *f.hq.pull_error.lock().unwrap() = Some(GatewayError::Unauthorized("401".into()));
    assert_eq!(f.worker.tick(&go()).await, TickOutcome::Unauthorized);
}

#[tokio::test]
async fn a_long_drain_says_online_and_how_far_it_has_come_after_every_batch() {
    let f = fixture(10, Some(jakarta())).await;
    record(&f.store, 35).await;
    *f.hq.watch.lock().unwrap() = Some((f.store.clone(), f.progress.clone()));
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 35 }
    );
    let seen = f.hq.seen.lock().unwrap().clone();
    let at = |link, sent| SeenDuringPush {
        link,
        sent: Some(sent),
    };
    assert_eq!(
        seen,
        [
            // The first batch: the status still says what the last tick found.
            at(LinkStatus::Offline, 0),
            at(LinkStatus::Online, 10),
            at(LinkStatus::Online, 20),
            at(LinkStatus::Online, 30),
        ]
    );
    assert_eq!(f.progress.sent(), None, "the attempt is over");
}

/// An entry and its void, the void made after the PC's clock went back `minutes_back`.
async fn entry_and_void(store: &BranchStore, minutes_back: i64) -> (TransactionId, TransactionId) {
    let now = Utc::now();
    let input = NewTransactionInput {
        tx_type: "OUT",
        amount: 20_000,
        category: "Operasional",
        ..Default::default()
    };
    let original = store
        .record(NewTransaction::from_input(&input, now, &kh_domain::Lists::defaults()).unwrap())
        .await
        .unwrap()
        .transaction()
        .clone();
    let void = original
        .void(
            TransactionId::new_v4(),
            VoidReason::parse("salah ketik").unwrap(),
            now - kh_domain::chrono::Duration::minutes(minutes_back),
        )
        .unwrap();
    let void = store.record(void).await.unwrap().transaction().clone();
    assert!(minutes_back == 0 || void.created_at < original.created_at);
    (original.id, void.id)
}

#[tokio::test]
async fn an_original_leaves_before_its_void_even_when_the_clock_went_back() {
    let f = fixture(1, Some(jakarta())).await;
    let (original, void) = entry_and_void(&f.store, 3).await;
    assert_eq!(
        f.store
            .pending(10)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>(),
        [original, void],
        "the outbox is in the order the entries were made"
    );
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 2 }
    );
    assert_eq!(f.store.counts().await.unwrap().rejected, 0);
}

#[tokio::test]
async fn a_void_refused_for_want_of_its_original_goes_again_by_itself() {
    let f = fixture(5, Some(jakarta())).await;
    let (_, void) = entry_and_void(&f.store, 0).await;
    // As an earlier version left it: the void went first and HQ refused it.
    f.store
        .apply_outcome(
            &kh_ports::PushOutcome {
                synced: vec![],
                rejected: vec![(
                    void,
                    Refusal::new("unknown_reference", "the voided entry is not at HQ yet"),
                )],
            },
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(f.store.counts().await.unwrap().rejected, 1);
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 2 },
        "the original went, then its void, in the same tick"
    );
    let counts = f.store.counts().await.unwrap();
    assert_eq!((counts.pending, counts.rejected), (0, 0));
    assert!(f.hq.held.lock().unwrap().contains(&void));
}

#[tokio::test]
async fn an_activation_while_hq_answers_the_old_key_is_never_undone() {
    let sby = BranchIdentity {
        id: BranchId::new_v4(),
        code: "SBY-02".into(),
        name: "Surabaya".into(),
    };
    let new_key = SyncCredentials {
        cloud_url: "http://hq".into(),
        api_key: "kh_new".into(),
    };
    // 1. The worker asks HQ who the old key is; meanwhile the PC is activated for SBY-02.
    let f = fixture(5, None).await;
    *f.hq.identity.lock().unwrap() = Some(Ok(jakarta()));
    *f.hq.activate_meanwhile.lock().unwrap() =
        Some((f.store.clone(), new_key.clone(), sby.clone()));
    assert_eq!(f.worker.tick(&go()).await, TickOutcome::Superseded);
    assert_eq!(f.store.identity().await.unwrap(), Some(sby.clone()));
    assert_eq!(f.store.credentials().await.unwrap(), Some(new_key.clone()));

    // 2. A push with the old key is refused while the PC is activated with a new one: the
    //    refusal is not recorded over the new key's status, and the next tick pushes.
    let g = fixture(5, Some(jakarta())).await;
    record(&g.store, 2).await;
    g.hq.answers
        .lock()
        .unwrap()
        .push_back(Answer::Fail(GatewayError::Unauthorized("401".into())));
    *g.hq.activate_meanwhile.lock().unwrap() =
        Some((g.store.clone(), new_key.clone(), sby.clone()));
    assert_eq!(g.worker.tick(&go()).await, TickOutcome::Superseded);
    assert_ne!(
        g.store.activity().await.unwrap().link,
        LinkStatus::Unauthorized
    );
    assert_eq!(
        g.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 2 }
    );
}

/// A row of another PC of the branch, as HQ's feed holds it.
fn from_hq(branch: BranchId, seq: i64, amount: i64) -> PulledRow {
    let input = NewTransactionInput {
        tx_type: "IN",
        amount,
        category: "Penjualan",
        ..Default::default()
    };
    let mut tx =
        NewTransaction::from_input(&input, Utc::now(), &kh_domain::Lists::defaults()).unwrap();
    tx.branch_id = Some(branch);
    PulledRow {
        seq,
        row: Ok(tx),
        received_at: Utc::now(),
    }
}

#[tokio::test]
async fn after_pushing_the_worker_pulls_the_branch_feed_until_caught_up() {
    let identity = jakarta();
    let f = fixture(5, Some(identity.clone())).await;
    record(&f.store, 3).await;
    *f.hq.feed.lock().unwrap() = (1..=2_500)
        .map(|seq| from_hq(identity.id, seq * 2, 10))
        .collect();
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 3 }
    );
    assert_eq!(
        *f.hq.pulls.lock().unwrap(),
        [0, 2_000, 4_000],
        "page after page"
    );
    let state = f.store.pull_state().await.unwrap();
    assert_eq!((state.after, state.restored), (5_000, 2_500));
    assert!(state.caught_up);
    // The other PC's entries are in the book, synced, and in its totals.
    let totals = f
        .store
        .totals(kh_domain::DateRange::ALL, None)
        .await
        .unwrap();
    assert_eq!(totals.count_in, 2_503);
    assert_eq!(totals.total_in, 25_000 + 6);
    assert_eq!(f.store.counts().await.unwrap().pending, 0);

    // Nothing new at HQ: one question from where the book stands, nothing stored twice.
    f.hq.pulls.lock().unwrap().clear();
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 0 }
    );
    assert_eq!(*f.hq.pulls.lock().unwrap(), [5_000]);
    assert_eq!(
        f.store
            .totals(kh_domain::DateRange::ALL, None)
            .await
            .unwrap()
            .count_in,
        2_503
    );
}

/// A row from HQ this book cannot take is kept apart, and every later pull tells HQ how many
/// are kept apart, so staff at HQ see that this PC needs a look.
#[tokio::test]
async fn every_pull_tells_hq_how_many_rows_the_book_holds_apart() {
    let identity = jakarta();
    let f = fixture(5, Some(identity.clone())).await;
    let unreadable = PulledRow {
        seq: 4,
        row: Err(kh_ports::UnreadableRow {
            id: "x".into(),
            reason: "amount: must be a whole number".into(),
            raw: "{\"id\":\"x\"}".into(),
        }),
        received_at: Utc::now(),
    };
    *f.hq.feed.lock().unwrap() = vec![
        from_hq(identity.id, 2, 10),
        unreadable,
        from_hq(identity.id, 6, 10),
    ];
    f.worker.tick(&go()).await;
    assert_eq!(f.store.pull_state().await.unwrap().quarantined, 1);
    assert_eq!(*f.hq.held_said.lock().unwrap(), [0], "nothing held yet");

    f.worker.tick(&go()).await;
    assert_eq!(
        *f.hq.held_said.lock().unwrap(),
        [0, 1],
        "the next pull says one row is held apart"
    );
}

#[tokio::test]
async fn a_new_hq_epoch_sends_every_entry_again_and_reads_the_feed_from_its_start() {
    let identity = jakarta();
    let f = fixture(50, Some(identity.clone())).await;
    *f.hq.epoch.lock().unwrap() = Some(HqEpoch::new_v4());
    *f.hq.feed.lock().unwrap() = vec![from_hq(identity.id, 7, 10)];
    record(&f.store, 20).await;
    f.worker.tick(&go()).await;
    assert_eq!(*f.hq.pushes.lock().unwrap(), [20]);
    assert_eq!(f.store.counts().await.unwrap().pending, 0);
    assert_eq!(f.store.pull_state().await.unwrap().after, 7);

    // HQ is restored from a backup that lacks those 20 (and its feed starts over).
    *f.hq.epoch.lock().unwrap() = Some(HqEpoch::new_v4());
    f.hq.held.lock().unwrap().clear();
    f.hq.pulls.lock().unwrap().clear();
    f.hq.pushes.lock().unwrap().clear();
    *f.hq.feed.lock().unwrap() = vec![from_hq(identity.id, 3, 10)];
    record(&f.store, 1).await;
    assert_eq!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { pushed: 23 }
    );
    assert_eq!(
        *f.hq.pushes.lock().unwrap(),
        [1, 22],
        "the new entry, then all of them again once the new epoch was seen (the other PC's \
         entry too: HQ may have lost it, and that PC may be gone)"
    );
    assert_eq!(
        f.hq.held.lock().unwrap().len(),
        22,
        "HQ holds every entry again"
    );
    assert_eq!(
        *f.hq.pulls.lock().unwrap(),
        [0],
        "the feed is read from its start"
    );
    let state = f.store.pull_state().await.unwrap();
    assert_eq!(state.after, 3, "the new feed's row was taken");
    assert!(state.caught_up, "not restoring again");
}

#[tokio::test]
async fn hqs_lists_come_down_after_the_pull_and_stay_when_hq_cannot_send_them() {
    use kh_domain::{ChannelKind, ChannelName, Lists, PaymentChannel};
    use kh_ports::BranchLists;

    let f = fixture(5, Some(jakarta())).await;
    let mut at_hq = Lists::defaults();
    at_hq.version = 4;
    at_hq.allow_new_categories = false;
    at_hq.channels[1].active = false;
    let gopay = PaymentChannel {
        id: kh_domain::ChannelId::new_v4(),
        name: ChannelName::parse("name", "GoPay").unwrap(),
        kind: ChannelKind::NonCash,
        active: true,
    };
    at_hq.channels.push(gopay.clone());
    *f.hq.lists.lock().unwrap() = Some(at_hq.clone());
    assert!(matches!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { .. }
    ));
    let held = f.store.lists().await.unwrap();
    assert_eq!(held.version, 4);
    assert!(!held.allow_new_categories);
    assert!(held.channels.iter().any(|c| c.id == gopay.id && c.active));
    let qris = &at_hq.channels[1];
    assert!(held.channels.iter().any(|c| c.id == qris.id && !c.active));

    // Up to date: the next tick asks after 4 and changes nothing.
    assert!(matches!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { .. }
    ));
    assert_eq!(*f.hq.list_asks.lock().unwrap(), [0, 4]);

    // An HQ that cannot answer for its lists leaves the PC with the ones it has, online.
    *f.hq.lists.lock().unwrap() = None;
    assert!(matches!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { .. }
    ));
    assert_eq!(f.store.lists().await.unwrap(), held);

    // HQ restored to older lists (version 2, without GoPay): taken whole.
    let mut restored = Lists::defaults();
    restored.version = 2;
    *f.hq.lists.lock().unwrap() = Some(restored);
    assert!(matches!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { .. }
    ));
    let held = f.store.lists().await.unwrap();
    assert_eq!(held.version, 2);
    assert!(held.allow_new_categories);
    assert!(!held.channels.iter().any(|c| c.id == gopay.id), "{held:?}");
    assert!(held.channels.iter().all(|c| c.active));
}

/// A shift opened with the given float, as the PC's shift service opens one.
fn new_shift(float: i64) -> kh_domain::Shift {
    kh_domain::Shift {
        id: kh_domain::ShiftId::new_v4(),
        opened_at: Utc::now(),
        opened_by: None,
        opening_float: float,
        suggested_float: None,
        opening_note: None,
        close: None,
    }
}

#[tokio::test]
async fn a_shift_reaches_hq_once_when_opened_and_once_more_with_its_close() {
    let f = fixture(5, Some(jakarta())).await;
    // A float of 214.999 and the Rp 1 entry below: the book expects 215.000.
    let shift = f.store.open_shift(new_shift(214_999)).await.unwrap();
    record(&f.store, 1).await;
    assert!(matches!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { .. }
    ));
    assert!(matches!(
        f.worker.tick(&go()).await,
        TickOutcome::Drained { .. }
    ));
    {
        let pushes = f.hq.shift_pushes.lock().unwrap();
        assert_eq!(pushes.len(), 1, "an opened shift is reported once");
        assert_eq!(pushes[0][0].shift.id, shift.id);
        assert!(pushes[0][0].shift.close.is_none());
    }
    let counts = kh_domain::CashCount::parse([("note_100000", 2), ("note_10000", 1)]).unwrap();
    f.store
        .close_shift(
            shift.id,
            kh_domain::ShiftClose {
                closed_at: Utc::now(),
                closed_by: None,
                counted: counts.total(),
                counts,
                expected: 215_000,
                note: Some(kh_domain::ShiftNote::parse("kurang 5.000").unwrap()),
                approved_by: None,
            },
            &[kh_domain::CASH_CHANNEL_ID],
        )
        .await
        .unwrap();
    f.worker.tick(&go()).await;
    f.worker.tick(&go()).await;
    let pushes = f.hq.shift_pushes.lock().unwrap();
    assert_eq!(
        pushes.len(),
        2,
        "the close is reported once more, then nothing"
    );
    let sent = &pushes[1][0];
    let close = sent
        .shift
        .close
        .as_ref()
        .expect("the second report carries the close");
    assert_eq!(close.difference(), -5_000);
    assert_eq!(sent.expected, 215_000);
}

#[tokio::test]
async fn a_shift_hq_refuses_is_kept_with_the_reason_and_not_sent_in_a_loop() {
    let f = fixture(5, Some(jakarta())).await;
    *f.hq.refuse_shifts.lock().unwrap() = Some("validation_failed".into());
    f.store.open_shift(new_shift(0)).await.unwrap();
    f.worker.tick(&go()).await;
    f.worker.tick(&go()).await;
    assert_eq!(f.hq.shift_pushes.lock().unwrap().len(), 1);
    assert_eq!(f.store.counts().await.unwrap().refused_shifts, 1);
}

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use kh_adapters_sqlite::{BranchStore, OpenError, SqliteDb, SqliteTarget};
use kh_http_local::{AppState, SecurityPolicy, router};
use std::time::Duration;

use kh_ports::services::{
    CurrentBranch, LedgerService, LockScreenService, Preconfigured, ShiftService, SyncProgress,
    SyncTrigger, SystemService,
};
use kh_ports::{
    BranchLists, BranchPeople, Clock, Inbox, Ledger, Outbox, ShiftStore, SyncGateway, SyncSettings,
    SystemClock,
};
use kh_sync_worker::{HttpGateway, SyncWorker, WorkerHandle};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::backup::DailyBackups;
use crate::{Settings, WakeSignal};

/// Why the server could not start, in words for the person starting it.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Another process holds the database.
    #[error("{0}")]
    Locked(String),
    /// The port is taken.
    #[error(
        "cannot listen on {addr}: {source}. Is another kh-local or Haramain Finance window already running? Close it, or set KH_HTTP_ADDR to another port"
    )]
    PortInUse {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// Anything else during start-up.
    #[error("{0}")]
    Other(String),
}

impl From<OpenError> for StartError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Locked(locked) => Self::Locked(locked.to_string()),
            other => Self::Other(other.to_string()),
        }
    }
}

/// A started branch server.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// Woken after each new entry and on `POST /system/sync`.
    pub wake: WakeSignal,
    /// The storage, for tools and tests.
    pub store: BranchStore,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
    worker: WorkerHandle,
    backups: Option<DailyBackups>,
}

impl Running {
    /// The base URL of the API, e.g. `http://127.0.0.1:8080/api/v1`.
    pub fn api_url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Stops the sync worker (a batch in flight is finished and recorded first) and the daily
    /// backup (a backup being written is finished), stops accepting requests, lets in-flight
    /// ones finish, and closes the database.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        self.worker.stop().await;
        if let Some(backups) = self.backups.take() {
            backups.stop().await;
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let result = match self.server.await {
            Ok(result) => result,
            Err(join) => Err(std::io::Error::other(join)),
        };
        self.store.db().clone().close().await;
        tracing::info!("kh-local stopped");
        result
    }
}

/// Opens the database, wires the services, starts the sync worker and serves.
/// `ui` serves the cashier app.
pub async fn start(settings: &Settings, ui: Option<Router>) -> Result<Running, StartError> {
    start_with_clock(settings, ui, Arc::new(SystemClock)).await
}

/// [`start`] with another clock (tests run a branch whose clock is wrong).
pub async fn start_with_clock(
    settings: &Settings,
    ui: Option<Router>,
    clock: Arc<dyn Clock>,
) -> Result<Running, StartError> {
    let url = settings.effective_database_url();
    let target = SqliteTarget::from_url(&url)?;
    let db = SqliteDb::open_branch(&target).await?;
    let store = BranchStore::new(db, settings.calendar).await?;
    // The zone is this PC's setting; the day start is HQ's.
    let calendar = store.calendar();
    let wake = WakeSignal::default();

    let branch = CurrentBranch::default();
    let progress = SyncProgress::default();
    let identity = SyncSettings::identity(&store)
        .await
        .map_err(|e| StartError::Other(e.to_string()))?;
    branch.set(identity.map(|i| i.id));

    let shared: Arc<BranchStore> = Arc::new(store.clone());
    let trigger: Arc<dyn SyncTrigger> = Arc::new(wake.clone());
    let device = store
        .device_id()
        .await
        .map_err(|e| StartError::Other(e.to_string()))?;
    let gateway: Arc<dyn SyncGateway> = Arc::new(
        HttpGateway::new(Duration::from_secs(5), Duration::from_secs(30), device)
            .map_err(|e| StartError::Other(e.to_string()))?,
    );
    let ledger = LedgerService::new(
        shared.clone() as Arc<dyn Ledger>,
        shared.clone() as Arc<dyn BranchLists>,
        clock.clone(),
        branch.clone(),
    );
    let system = SystemService::new(
        shared.clone() as Arc<dyn Outbox>,
        shared.clone() as Arc<dyn Inbox>,
        shared.clone() as Arc<dyn SyncSettings>,
        trigger.clone(),
        gateway.clone(),
        clock.clone(),
        branch.clone(),
        progress.clone(),
    );
    preconfigure_from_settings(settings, &system).await?;

    let listener = TcpListener::bind(settings.http_addr)
        .await
        .map_err(|source| StartError::PortInUse {
            addr: settings.http_addr,
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Other(e.to_string()))?;
    let policy = SecurityPolicy::loopback(addr.port());
    let app = router(
        AppState::new(
            ledger,
            system,
            LockScreenService::new(
                shared.clone() as Arc<dyn BranchLists>,
                shared.clone() as Arc<dyn BranchPeople>,
                clock.clone(),
                settings.idle_lock_minutes,
            ),
            ShiftService::new(
                shared.clone() as Arc<dyn ShiftStore>,
                shared.clone() as Arc<dyn BranchLists>,
                clock.clone(),
            ),
            trigger,
            calendar,
        ),
        policy,
        ui,
    );

    let clock_for_backups = clock.clone();
    let worker = Arc::new(SyncWorker::new(
        shared.clone() as Arc<dyn Outbox>,
        shared.clone() as Arc<dyn Inbox>,
        shared.clone() as Arc<dyn BranchLists>,
        shared.clone() as Arc<dyn ShiftStore>,
        shared as Arc<dyn SyncSettings>,
        gateway,
        clock,
        branch,
        progress,
        settings.sync_batch_size,
    ));
    let worker = kh_sync_worker::spawn(
        worker,
        wake.clone(),
        Duration::from_secs(settings.sync_interval_secs),
    );

    // Spawned after the last step that can fail: a failed start leaves no task holding the
    // database.
    let backups = match &target {
        SqliteTarget::File(_) => Some(DailyBackups::spawn(
            store.db().clone(),
            settings.backups_dir(),
            calendar,
            clock_for_backups,
        )),
        SqliteTarget::Memory => None,
    };

    let (tx, rx) = oneshot::channel::<()>();
    let limits = settings.serve_limits;
    let server = tokio::spawn(async move {
        kh_http_common::serve(listener, app, limits, async {
            let _ = rx.await;
        })
        .await
    });
    tracing::info!(%addr, database = %url, timezone = settings.calendar.name(), day_starts_at = calendar.day_start_minutes(), %device, "kh-local listening");
    Ok(Running {
        addr,
        wake,
        store,
        shutdown: Some(tx),
        server,
        worker,
        backups,
    })
}

/// `KH_CLOUD_URL` and `KH_BRANCH_API_KEY` configure a PC that has no stored credentials (HQ
/// need not be reachable: the worker learns the branch identity on first contact). They also
/// replace stored credentials HQ never accepted (a mistyped key at first start). Once HQ has
/// accepted the stored key, it wins; activate again to change it.
async fn preconfigure_from_settings(
    settings: &Settings,
    system: &SystemService,
) -> Result<(), StartError> {
    let (Some(url), Some(key)) = (&settings.cloud_url, &settings.branch_api_key) else {
        return Ok(());
    };
    let outcome = system
        .preconfigure(url, key.expose_secret())
        .await
        .map_err(|e| StartError::Other(format!("KH_CLOUD_URL / KH_BRANCH_API_KEY: {e}")))?;
    match outcome {
        Preconfigured::Stored => tracing::info!("sync credentials taken from the environment"),
        Preconfigured::Replaced => tracing::warn!(
            "KH_CLOUD_URL / KH_BRANCH_API_KEY differ from the stored ones, which HQ never \
             accepted: the environment's replace them"
        ),
        Preconfigured::Unchanged => {}
        Preconfigured::Kept => tracing::warn!(
            "KH_CLOUD_URL / KH_BRANCH_API_KEY differ from the credentials HQ accepted for this \
             PC; the stored ones stay in use (activate the PC again to change them)"
        ),
    }
    Ok(())
}

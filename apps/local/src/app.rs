use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use kh_adapters_sqlite::{BranchStore, OpenError, SqliteDb, SqliteTarget};
use kh_http_local::{AppState, SecurityPolicy, router};
use kh_ports::services::{CurrentBranch, LedgerService, SyncTrigger, SystemService};
use kh_ports::{Clock, Ledger, Outbox, SyncSettings, SystemClock};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
    /// The storage, for the sync worker.
    pub store: BranchStore,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// The base URL of the API, e.g. `http://127.0.0.1:8080/api/v1`.
    pub fn api_url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Stops accepting requests, lets in-flight ones finish, and closes the database.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
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

/// Opens the database, wires the services and starts serving. `ui` serves the cashier app.
pub async fn start(settings: &Settings, ui: Option<Router>) -> Result<Running, StartError> {
    let url = settings.effective_database_url();
    let target = SqliteTarget::from_url(&url)?;
    let db = SqliteDb::open_branch(&target).await?;
    let store = BranchStore::new(db, settings.calendar).await?;
    let wake = WakeSignal::default();

    let branch = CurrentBranch::default();
    let identity = SyncSettings::identity(&store)
        .await
        .map_err(|e| StartError::Other(e.to_string()))?;
    branch.set(identity.map(|i| i.id));

    let shared: Arc<BranchStore> = Arc::new(store.clone());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let trigger: Arc<dyn SyncTrigger> = Arc::new(wake.clone());
    let ledger = LedgerService::new(shared.clone() as Arc<dyn Ledger>, clock, branch.clone());
    let system = SystemService::new(
        shared.clone() as Arc<dyn Outbox>,
        shared.clone() as Arc<dyn SyncSettings>,
        trigger.clone(),
        branch,
    );
    activate_from_settings(settings, &system).await?;

    let listener = TcpListener::bind(settings.http_addr)
        .await
        .map_err(|source| StartError::PortInUse {
            addr: settings.http_addr,
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Other(e.to_string()))?;
    let policy = SecurityPolicy::loopback(addr.port(), &settings.extra_origins);
    let app = router(AppState::new(ledger, system, trigger), policy, ui);

    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    tracing::info!(%addr, database = %url, timezone = settings.calendar.name(), "kh-local listening");
    Ok(Running {
        addr,
        wake,
        store,
        shutdown: Some(tx),
        server,
    })
}

/// `KH_CLOUD_URL` and `KH_BRANCH_API_KEY` activate a PC that has no stored credentials; once
/// the PC is activated (through the app or an earlier start), the stored ones win.
async fn activate_from_settings<O: Outbox, S: SyncSettings, T: SyncTrigger>(
    settings: &Settings,
    system: &SystemService<O, S, T>,
) -> Result<(), StartError> {
    let (Some(url), Some(key)) = (&settings.cloud_url, &settings.branch_api_key) else {
        return Ok(());
    };
    let status = system
        .status()
        .await
        .map_err(|e| StartError::Other(e.to_string()))?;
    if status.cloud_url.is_none() {
        system
            .activate(url, key.expose_secret(), None)
            .await
            .map_err(|e| StartError::Other(format!("KH_CLOUD_URL / KH_BRANCH_API_KEY: {e}")))?;
        tracing::info!("sync credentials taken from the environment");
    }
    Ok(())
}

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use kh_adapters_hq::HqStore;
use kh_adapters_sqlite::{OpenError, SqliteDb, SqliteTarget};
use kh_http_cloud::{CloudConfig, CloudState, HqPorts, router};
use kh_ports::{
    BranchDirectory, Clock, HqBranchStaff, HqError, HqLedger, HqLists, HqShifts, HqStaff,
    SystemClock,
};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::Settings;

/// A trial HQ on one SQLite file: the HQ store over the SQLite connection settings (not
/// migrated). The store keeps the file's lock for as long as it lives, so two HQ processes
/// cannot share one SQLite file.
pub async fn open_sqlite_hq(
    target: &SqliteTarget,
    calendar: kh_domain::BusinessCalendar,
) -> Result<HqStore, OpenError> {
    let db = SqliteDb::open(target).await?;
    let (writer, reader) = db.connections();
    Ok(HqStore::new(
        writer,
        reader,
        calendar,
        Some(std::sync::Arc::new(db)),
    ))
}

/// Opens the store named by the settings (PostgreSQL or a SQLite trial file), not yet migrated.
pub async fn open_store(settings: &Settings) -> anyhow::Result<HqStore> {
    let url = settings.database_url.expose_secret();
    if url.starts_with("sqlite:") {
        let target = SqliteTarget::from_url(url)?;
        Ok(open_sqlite_hq(&target, settings.calendar).await?)
    } else {
        Ok(kh_adapters_postgres::connect(
            url,
            settings.calendar,
            settings.db_max_connections,
        )?)
    }
}

/// Waits until the database answers (up to `KH_DB_WAIT_SECS`), then applies migrations.
/// Several processes may start at once: a migration that loses the race is simply retried.
pub async fn wait_for_database(store: &HqStore, settings: &Settings) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(settings.db_wait_secs);
    let mut delay = Duration::from_millis(250);
    let mut attempt = 0_u32;
    loop {
        attempt += 1;
        let error = match store.migrate().await {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        let retryable = matches!(error, HqError::Unavailable(_)) || attempt < 5;
        if !retryable || Instant::now() + delay > deadline {
            return Err(anyhow::anyhow!(error)).with_context(|| {
                format!(
                    "the database {} is not usable",
                    settings.database_for_humans()
                )
            });
        }
        tracing::warn!(attempt, database = %settings.database_for_humans(), error = %error, "waiting for the database");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
}

/// A started HQ server.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
    store: HqStore,
}

impl Running {
    /// `http://addr/api/v1`.
    pub fn api_url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Stops accepting, finishes in-flight requests (a push commits or rolls back whole), and
    /// closes the pool.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.server.await??;
        self.store.close().await;
        Ok(())
    }
}

/// Waits for and migrates the database, then serves the API.
pub async fn start(settings: &Settings) -> anyhow::Result<Running> {
    let store = open_store(settings).await?;
    wait_for_database(&store, settings).await?;
    let shared = Arc::new(store.clone());
    let config = CloudConfig {
        admin_token: settings
            .admin_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned()),
        max_batch: settings.max_batch,
        trusted_proxies: settings.trusted_proxies.clone(),
        calendar: settings.calendar,
        stale_hours: settings.stale_hours,
        branch_settings: settings.branch_settings,
    };
    let ports = HqPorts {
        directory: shared.clone() as Arc<dyn BranchDirectory>,
        ledger: shared.clone() as Arc<dyn HqLedger>,
        lists: shared.clone() as Arc<dyn HqLists>,
        staff: shared.clone() as Arc<dyn HqStaff>,
        people: shared.clone() as Arc<dyn HqBranchStaff>,
        shifts: shared as Arc<dyn HqShifts>,
    };
    let state = CloudState::new(ports, Arc::new(SystemClock) as Arc<dyn Clock>, config);
    if settings.admin_token.is_none() {
        tracing::warn!("KH_ADMIN_TOKEN is not set: the admin API (branches, reports) answers 401");
    }
    let listener = TcpListener::bind(settings.http_addr)
        .await
        .with_context(|| format!("cannot listen on {} (KH_HTTP_ADDR)", settings.http_addr))?;
    let addr = listener.local_addr()?;
    let app = router(state);
    let (tx, rx) = oneshot::channel::<()>();
    let limits = settings.serve_limits;
    let server = tokio::spawn(async move {
        kh_http_common::serve(listener, app, limits, async {
            let _ = rx.await;
        })
        .await
    });
    tracing::info!(%addr, database = %settings.database_for_humans(), timezone = settings.calendar.name(), "kh-cloud listening");
    Ok(Running {
        addr,
        shutdown: Some(tx),
        server,
        store,
    })
}

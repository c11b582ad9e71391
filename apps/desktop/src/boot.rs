//! Starting the branch server inside the desktop app: the same settings and the same
//! `kh_local::start` as the `kh-local` binary, then a health check before any window opens.
//! Every way it can fail becomes a [`Failure`] worded for the cashier (Indonesian first, English
//! below, because the UI's language choice lives in the page, which has not loaded yet).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use kh_local::{Cli, Running, Settings, StartError};

/// What the native error dialog says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The dialog's title.
    pub title: String,
    /// What happened and what to do, in Indonesian and then English.
    pub message: String,
}

const TITLE: &str = "Haramain Finance tidak bisa dibuka";

impl Failure {
    fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            title: TITLE.to_owned(),
            message: format!("{}\n\n{}", id.into(), en.into()),
        }
    }

    /// Words for a start-up error of the server.
    pub fn from_start(error: &StartError) -> Self {
        match error {
            StartError::PortInUse { addr, .. } => Self::new(
                format!(
                    "Alamat {addr} sudah dipakai program lain. Mungkin kh-local atau Haramain \
                     Finance sudah berjalan: tutup dulu, lalu buka lagi. Jika port itu memang \
                     dipakai program lain, atur KH_HTTP_ADDR ke port lain (misalnya \
                     127.0.0.1:8081)."
                ),
                format!("{error}."),
            ),
            StartError::Locked(detail) => Self::new(
                "Buku kas di komputer ini sedang dibuka oleh program lain (kh-local atau \
                 jendela Haramain Finance yang lain). Tutup program itu, lalu buka lagi.",
                format!("{detail}."),
            ),
            StartError::Other(detail) => Self::new(
                "Server kas tidak bisa dijalankan. Hubungi pengelola dan sertakan pesan di \
                 bawah ini.",
                format!("{detail}."),
            ),
        }
    }

    fn settings(error: &kh_local::SettingsError) -> Self {
        Self::new(
            format!(
                "Pengaturan {} salah. Perbaiki pengaturan itu (variabel lingkungan atau \
                 kh-local.toml), lalu buka lagi.",
                error.name
            ),
            format!("{error}."),
        )
    }

    /// Words for a window the system would not create.
    pub fn window(detail: &str) -> Self {
        Self::new(
            "Jendela aplikasi tidak bisa dibuat. Hubungi pengelola.",
            format!("The window could not be created: {detail}."),
        )
    }

    fn unhealthy(addr: SocketAddr, detail: &str) -> Self {
        Self::new(
            format!(
                "Server kas sudah berjalan di {addr} tetapi tidak menjawab. Tutup aplikasi dan \
                 buka lagi; jika terulang, hubungi pengelola."
            ),
            format!("The cash book server at {addr} started but did not answer: {detail}."),
        )
    }
}

/// Loads the settings exactly as `kh-local` does (the `KH_*` environment and `kh-local.toml`
/// in the per-user data directory), starts the server with the embedded cashier UI and
/// waits until it answers. The window shows the UI from this server, so its origin is the
/// server's own loopback origin and the API's Origin check needs no extra entry.
pub async fn start_server() -> Result<Running, Failure> {
    let settings = Settings::load(&Cli::default()).map_err(|e| Failure::settings(&e))?;
    kh_local::init_logging(&settings);
    let running = start_when_free(&settings).await.map_err(|e| {
        tracing::error!(error = %e, "the branch server could not start");
        Failure::from_start(&e)
    })?;
    if let Err(detail) = wait_until_healthy(running.addr, Duration::from_secs(15)).await {
        tracing::error!(%detail, "the branch server does not answer");
        let failure = Failure::unhealthy(running.addr, &detail);
        let _ = running.shutdown().await;
        return Err(failure);
    }
    Ok(running)
}

/// How long a new launch waits for a closing window to finish (its last sync batch) and let go
/// of the cash book, before saying another program has it.
const LOCK_PATIENCE: Duration = Duration::from_secs(10);

/// `kh_local::start`, retried while the cash book is locked: a cashier who closes the window
/// and opens it again at once should get the window, not an error, while the old process
/// records its last sync batch.
async fn start_when_free(settings: &Settings) -> Result<Running, StartError> {
    let deadline = Instant::now() + LOCK_PATIENCE;
    loop {
        match kh_local::start(settings, Some(kh_http_local::ui_router())).await {
            Err(StartError::Locked(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => return other,
        }
    }
}

/// The page the window opens.
pub fn page_url(addr: SocketAddr) -> String {
    format!("http://{addr}/")
}

/// Polls `GET /api/v1/health` until it answers 200, or gives up after `patience` with the
/// last problem seen.
pub async fn wait_until_healthy(addr: SocketAddr, patience: Duration) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let url = format!("http://{addr}/api/v1/health");
    let deadline = Instant::now() + patience;
    loop {
        let problem = match client.get(&url).send().await {
            Ok(res) if res.status().is_success() => return Ok(()),
            Ok(res) => format!("health check answered {}", res.status()),
            Err(e) => e.to_string(),
        };
        if Instant::now() >= deadline {
            return Err(problem);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_taken_port_names_the_address_and_the_way_out() {
        let addr: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let failure = Failure::from_start(&StartError::PortInUse {
            addr,
            source: std::io::Error::from(std::io::ErrorKind::AddrInUse),
        });
        assert_eq!(failure.title, "Haramain Finance tidak bisa dibuka");
        assert!(
            failure
                .message
                .starts_with("Alamat 127.0.0.1:8080 sudah dipakai")
        );
        assert!(failure.message.contains("KH_HTTP_ADDR"));
    }

    #[test]
    fn a_locked_database_says_another_window_has_it() {
        let failure = Failure::from_start(&StartError::Locked(
            "the database /x.db is already in use".into(),
        ));
        assert!(failure.message.contains("sedang dibuka oleh program lain"));
        assert!(failure.message.contains("/x.db is already in use"));
    }

    #[tokio::test]
    async fn health_wait_gives_up_with_the_reason_when_nothing_answers() {
        // Bind then drop: the port is (very likely) closed for the short wait.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let err = wait_until_healthy(addr, Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(!err.is_empty());
    }

    #[test]
    fn the_page_is_the_servers_own_origin() {
        let v4: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let v6: SocketAddr = "[::1]:9000".parse().unwrap();
        assert_eq!(page_url(v4), "http://127.0.0.1:8080/");
        assert_eq!(page_url(v6), "http://[::1]:9000/");
    }
}

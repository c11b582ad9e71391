//! Test-only helpers: [`Api`], the one HTTP client of the whole-server tests; starting the real binaries ([`spawn_kh_local`], [`spawn_kh_cloud`]), and
//! [`FaultProxy`], which sits between a client and a server on loopback and plays
//! the failures a branch's connection to HQ goes through (there is no toxiproxy package here).
#![forbid(unsafe_code)]

mod api;
pub mod files;
mod process;
mod slow;

/// Logs of the servers a test starts in its own process, on demand: `TEST_LOG=1` (or a filter
/// such as `TEST_LOG=kh_sync_worker=debug`) prints them; otherwise tests stay quiet. Safe to
/// call from every test.
pub fn init_test_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(filter) = std::env::var("TEST_LOG") else {
            return;
        };
        let filter = if filter == "1" || filter.is_empty() {
            "info".to_owned()
        } else {
            filter
        };
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    });
}

pub use api::{Api, read_envelope, send};
pub use process::{
    KeptLog, log_tail, spawn_kh_cloud, spawn_kh_cloud_logged, spawn_kh_local, spawn_kh_local_logged,
};
pub use slow::half_sent_requests_are_cut_off;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with connections and answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// Forward everything.
    Pass,
    /// Accept and close at once (a refused or dead link).
    Refuse,
    /// Forward, but hold every answer back this long first.
    Delay(Duration),
    /// Forward the request; when the answer starts, close the client's connection instead of
    /// passing it on: the server did the work, the client never hears of it.
    LoseAnswer,
    /// Forward only the first bytes of a request, then close both sides.
    CutRequest,
    /// Per request, lose the answer with probability `lose`, cut the request with `cut`
    /// (percent), else pass.
    Chaos {
        /// Percent of answers lost.
        lose: u32,
        /// Percent of requests cut.
        cut: u32,
    },
}

#[derive(Debug)]
struct State {
    fault: Fault,
    upstream: SocketAddr,
}

/// A TCP proxy on 127.0.0.1 with a switchable [`Fault`] and upstream.
#[derive(Debug, Clone)]
pub struct FaultProxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

fn percent() -> u32 {
    getrandom::u32().unwrap_or(0) % 100
}

impl FaultProxy {
    /// Starts a proxy to `upstream` that passes everything.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            fault: Fault::Pass,
            upstream,
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, shared.clone()));
            }
        });
        Ok(Self { addr, state })
    }

    /// Changes what happens from now on (also on open connections).
    pub fn set(&self, fault: Fault) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .fault = fault;
    }

    /// Points new connections at another server (a restarted HQ on a new port).
    pub fn set_upstream(&self, upstream: SocketAddr) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .upstream = upstream;
    }

    fn current(state: &Mutex<State>) -> (Fault, SocketAddr) {
        let s = state.lock().unwrap_or_else(PoisonError::into_inner);
        (s.fault, s.upstream)
    }
}

/// Per request, which fault Chaos picked.
fn decide(fault: Fault) -> Fault {
    match fault {
        Fault::Chaos { lose, cut } => {
            let roll = percent();
            if roll < lose {
                Fault::LoseAnswer
            } else if roll < lose + cut {
                Fault::CutRequest
            } else {
                Fault::Pass
            }
        }
        other => other,
    }
}

async fn serve(mut client: TcpStream, state: Arc<Mutex<State>>) {
    let (fault, upstream) = FaultProxy::current(&state);
    if decide(fault) == Fault::Refuse {
        return;
    }
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let mut up = [0_u8; 16 * 1024];
    let mut down = [0_u8; 16 * 1024];
    // The fault of the request in flight: rolled when a request's first bytes arrive, i.e. at
    // the start of the connection and after each answer began.
    let mut current: Option<Fault> = None;
    let mut answering = false;
    loop {
        if FaultProxy::current(&state).0 == Fault::Refuse {
            return; // the link went down: open connections die too
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_millis(50)) => {}
            read = client.read(&mut up) => {
                let Ok(n) = read else { return };
                if n == 0 { return; }
                if current.is_none() || answering {
                    current = Some(decide(FaultProxy::current(&state).0));
                    answering = false;
                }
                if current == Some(Fault::CutRequest) {
                    let _ = server.write_all(&up[..n.min(16)]).await;
                    return;
                }
                if server.write_all(&up[..n]).await.is_err() { return; }
            }
            read = server.read(&mut down) => {
                let Ok(n) = read else { return };
                if n == 0 { return; }
                match current {
                    Some(Fault::LoseAnswer) => return,
                    Some(Fault::Delay(d)) if !answering => tokio::time::sleep(d).await,
                    _ => {}
                }
                answering = true;
                if client.write_all(&down[..n]).await.is_err() { return; }
            }
        }
    }
}

/// A random suffix for a scratch name.
pub(crate) fn random_suffix() -> u32 {
    getrandom::u32().unwrap_or(0)
}

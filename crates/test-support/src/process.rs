//! Starting the real `kh-local` and `kh-cloud` binaries on port 0 and learning their address.

use std::io::{self, BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

fn unexpected(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}

/// Keeps reading `pipe` so a chatty log can never fill it and stall the server.
fn drain(mut reader: impl Read + Send + 'static) {
    std::thread::spawn(move || io::copy(&mut reader, &mut io::sink()));
}

/// Where a child's log lines are kept: shared with the thread that reads them.
pub type KeptLog = std::sync::Arc<std::sync::Mutex<String>>;

/// Reads the rest of a child's output on a thread, into `keep` or nowhere (a pipe nobody reads
/// fills up and stalls the child).
fn keep_or_drain(reader: impl BufRead + Send + 'static, keep: Option<KeptLog>) {
    let Some(log) = keep else {
        drain(reader);
        return;
    };
    std::thread::spawn(move || {
        for next in reader.lines().map_while(Result::ok) {
            let mut kept = log
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            kept.push_str(&next);
            kept.push('\n');
        }
    });
}

/// The last `lines` lines of a kept log, for a failing test's output.
pub fn log_tail(log: &KeptLog, lines: usize) -> String {
    let kept = log
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let all: Vec<&str> = kept.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Starts `kh-local` (its stdout is taken here) and returns it with its API base URL, read from
/// the line it prints once it listens: `… running at http://…/ (API: http://127.0.0.1:PORT/api/v1)`
/// (log lines written to stdout before it are skipped).
pub fn spawn_kh_local(cmd: &mut Command) -> io::Result<(Child, String)> {
    spawn_kh_local_into(cmd, None)
}

/// [`spawn_kh_local`], keeping every line it writes to stdout after it listens (its log, with
/// `KH_LOG` set) in `log`, for a test to show when it fails.
pub fn spawn_kh_local_logged(cmd: &mut Command, log: KeptLog) -> io::Result<(Child, String)> {
    spawn_kh_local_into(cmd, Some(log))
}

fn spawn_kh_local_into(cmd: &mut Command, keep: Option<KeptLog>) -> io::Result<(Child, String)> {
    let mut child = cmd.stdout(Stdio::piped()).spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| unexpected("no stdout".into()))?;
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(unexpected("kh-local exited before listening".into()));
        }
        if line.contains("(API: ") {
            break;
        }
    }
    keep_or_drain(reader, keep);
    let api = line
        .split("(API: ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(")\n"))
        .ok_or_else(|| unexpected(format!("kh-local's address line was {line:?}")))?;
    Ok((child, api.to_owned()))
}

/// Starts `kh-cloud serve` with `KH_LOG_FORMAT=json` (its stderr is taken here) and returns it
/// with the address it listens on, read from its `kh-cloud listening` log line.
pub fn spawn_kh_cloud(cmd: &mut Command) -> io::Result<(Child, SocketAddr)> {
    spawn_kh_cloud_into(cmd, None)
}

/// [`spawn_kh_cloud`], keeping every log line it writes after it listens in `log` (for tests
/// that check what a server never writes down).
pub fn spawn_kh_cloud_logged(cmd: &mut Command, log: KeptLog) -> io::Result<(Child, SocketAddr)> {
    spawn_kh_cloud_into(cmd, Some(log))
}

fn spawn_kh_cloud_into(
    cmd: &mut Command,
    keep: Option<KeptLog>,
) -> io::Result<(Child, SocketAddr)> {
    let mut child = cmd.stderr(Stdio::piped()).spawn()?;
    let stderr = child
        .stderr
        .take()
        .ok_or_else(|| unexpected("no stderr".into()))?;
    let mut reader = BufReader::new(stderr);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(unexpected("kh-cloud exited before listening".into()));
        }
        if line.contains("kh-cloud listening") {
            break;
        }
    }
    keep_or_drain(reader, keep);
    let log: serde_json::Value =
        serde_json::from_str(&line).map_err(|e| unexpected(e.to_string()))?;
    let addr = log["addr"].as_str().and_then(|a| a.parse().ok());
    let addr = addr.ok_or_else(|| unexpected(format!("no address in {line:?}")))?;
    Ok((child, addr))
}

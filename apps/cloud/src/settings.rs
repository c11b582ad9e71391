//! Settings of `kh-cloud` (DESIGN 6): defaults, then the environment (`KH_*`, and the compose
//! variables `DB_HOST`, `DB_PORT`, `DB_USER`, `DB_PASS`, `DB_NAME`). Validated at start-up.

use std::collections::HashMap;
use std::net::SocketAddr;

use kh_domain::BusinessCalendar;
use secrecy::{ExposeSecret, SecretString};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// The validated settings of one `kh-cloud` process.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `postgres://…` or `sqlite://…`. Holds the password: never logged as is.
    pub database_url: SecretString,
    /// Where the API listens.
    pub http_addr: SocketAddr,
    /// The admin token; `None` turns the admin endpoints off (401).
    pub admin_token: Option<SecretString>,
    /// The most rows one push may hold.
    pub max_batch: usize,
    /// Business-date time zone.
    pub calendar: BusinessCalendar,
    /// Log filter.
    pub log: String,
    /// Log format; `None` picks by terminal.
    pub log_format: Option<LogFormat>,
    /// PostgreSQL pool size per process.
    pub db_max_connections: u32,
    /// How long start-up waits for the database before giving up.
    pub db_wait_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges).
    pub trusted_proxies: Vec<kh_http_cloud::TrustedProxy>,
}

/// A setting that cannot be used, named so the operator can fix it.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {name}: {problem}")]
pub struct SettingsError {
    /// The variable.
    pub name: &'static str,
    /// What is wrong and what is accepted.
    pub problem: String,
}

fn bad(name: &'static str, problem: impl Into<String>) -> SettingsError {
    SettingsError {
        name,
        problem: problem.into(),
    }
}

/// Percent-encodes a URL user-info part, so any password works in the URL.
fn encode(part: &str) -> String {
    let mut out = String::new();
    for b in part.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(&std::env::vars().collect())
    }

    /// Reads settings from `vars` (tests pass their own).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, SettingsError> {
        let get = |k: &str| {
            vars.get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let database_url = match get("KH_DATABASE_URL") {
            Some(url) => {
                if !(url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite:"))
                {
                    return Err(bad(
                        "KH_DATABASE_URL",
                        "must start with postgres:// or sqlite://",
                    ));
                }
                url
            }
            None => {
                let host = get("DB_HOST").ok_or_else(|| {
                    bad("KH_DATABASE_URL", "set KH_DATABASE_URL (postgres://… or sqlite://…) or DB_HOST, DB_USER, DB_PASS and DB_NAME")
                })?;
                let port: u16 = get("DB_PORT")
                    .unwrap_or_else(|| "5432".into())
                    .parse()
                    .map_err(|_| bad("DB_PORT", "must be a port number"))?;
                let user =
                    get("DB_USER").ok_or_else(|| bad("DB_USER", "is required with DB_HOST"))?;
                let name =
                    get("DB_NAME").ok_or_else(|| bad("DB_NAME", "is required with DB_HOST"))?;
                let pass = vars.get("DB_PASS").cloned().unwrap_or_default();
                if pass.is_empty() {
                    return Err(bad(
                        "DB_PASS",
                        "is required with DB_HOST; HQ refuses to run on a database without a password",
                    ));
                }
                format!(
                    "postgres://{}:{}@{host}:{port}/{}",
                    encode(&user),
                    encode(&pass),
                    encode(&name)
                )
            }
        };
        let http_addr = get("KH_HTTP_ADDR").unwrap_or_else(|| "0.0.0.0:3000".into());
        let http_addr: SocketAddr = http_addr.parse().map_err(|_| {
            bad(
                "KH_HTTP_ADDR",
                format!("{http_addr:?} is not an address such as 0.0.0.0:3000"),
            )
        })?;
        let admin_token = get("KH_ADMIN_TOKEN");
        if let Some(token) = &admin_token
            && token.len() < 16
        {
            return Err(bad(
                "KH_ADMIN_TOKEN",
                "must be at least 16 characters (e.g. openssl rand -hex 32), or unset to turn the admin API off",
            ));
        }
        let max_batch = get("KH_MAX_BATCH").unwrap_or_else(|| "500".into());
        let max_batch = max_batch
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=5_000).contains(n))
            .ok_or_else(|| bad("KH_MAX_BATCH", "must be a whole number from 1 to 5000"))?;
        let timezone = get("KH_TIMEZONE").unwrap_or_else(|| "Asia/Jakarta".into());
        let calendar =
            BusinessCalendar::from_name(&timezone).map_err(|e| bad("KH_TIMEZONE", e.issue))?;
        let log = get("KH_LOG").unwrap_or_else(|| "info".into());
        tracing_subscriber::EnvFilter::try_new(&log).map_err(|e| bad("KH_LOG", e.to_string()))?;
        let log_format = match get("KH_LOG_FORMAT").as_deref() {
            None => None,
            Some("pretty") => Some(LogFormat::Pretty),
            Some("json") => Some(LogFormat::Json),
            Some(_) => return Err(bad("KH_LOG_FORMAT", "must be pretty or json")),
        };
        let db_max_connections = get("KH_DB_MAX_CONNECTIONS").unwrap_or_else(|| "10".into());
        let db_max_connections = db_max_connections
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| {
                bad(
                    "KH_DB_MAX_CONNECTIONS",
                    "must be a whole number from 1 to 200",
                )
            })?;
        let db_wait_secs = get("KH_DB_WAIT_SECS").unwrap_or_else(|| "60".into());
        let db_wait_secs = db_wait_secs
            .parse::<u64>()
            .map_err(|_| bad("KH_DB_WAIT_SECS", "must be a number of seconds"))?;
        let trusted_proxies = get("KH_TRUSTED_PROXIES")
            .map(|list| {
                list.split(',')
                    .filter(|p| !p.trim().is_empty())
                    .map(str::parse::<kh_http_cloud::TrustedProxy>)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .map_err(|e| {
                bad(
                    "KH_TRUSTED_PROXIES",
                    format!("{e}; give addresses or ranges such as 172.16.0.0/12, comma-separated"),
                )
            })?
            .unwrap_or_default();
        Ok(Self {
            database_url: SecretString::from(database_url),
            http_addr,
            admin_token: admin_token.map(SecretString::from),
            max_batch,
            calendar,
            log,
            log_format,
            db_max_connections,
            db_wait_secs,
            trusted_proxies,
        })
    }

    /// The database URL with its password hidden, for logs and messages.
    pub fn database_for_humans(&self) -> String {
        kh_adapters_postgres::redact(self.database_url.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        Settings::from_vars(
            &vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn compose_variables_build_an_encoded_url() {
        let s = load(&[
            ("DB_HOST", "db"),
            ("DB_USER", "kh"),
            ("DB_PASS", "p@ss:w/rd"),
            ("DB_NAME", "kh"),
        ])
        .unwrap();
        assert_eq!(
            s.database_url.expose_secret(),
            "postgres://kh:p%40ss%3Aw%2Frd@db:5432/kh"
        );
        assert_eq!(s.database_for_humans(), "postgres://kh:***@db:5432/kh");
        assert_eq!(s.http_addr.to_string(), "0.0.0.0:3000");
        assert_eq!(s.max_batch, 500);
        assert!(s.admin_token.is_none());
    }

    #[test]
    fn bad_or_missing_settings_are_named() {
        assert_eq!(load(&[]).unwrap_err().name, "KH_DATABASE_URL");
        assert_eq!(
            load(&[("DB_HOST", "db"), ("DB_USER", "kh"), ("DB_NAME", "kh")])
                .unwrap_err()
                .name,
            "DB_PASS"
        );
        let pg = ("KH_DATABASE_URL", "postgres://x@y/z");
        assert_eq!(
            load(&[pg, ("KH_ADMIN_TOKEN", "short")]).unwrap_err().name,
            "KH_ADMIN_TOKEN"
        );
        assert_eq!(
            load(&[pg, ("KH_MAX_BATCH", "0")]).unwrap_err().name,
            "KH_MAX_BATCH"
        );
        assert_eq!(
            load(&[pg, ("KH_TIMEZONE", "Mars/Base")]).unwrap_err().name,
            "KH_TIMEZONE"
        );
        assert_eq!(
            load(&[("KH_DATABASE_URL", "mysql://x")]).unwrap_err().name,
            "KH_DATABASE_URL"
        );
        assert!(
            !format!(
                "{:?}",
                load(&[pg, ("KH_ADMIN_TOKEN", "0123456789abcdef-secret")]).unwrap()
            )
            .contains("secret")
        );
    }
}

//! Settings of `kh-cloud` (DESIGN 6), in layers like `kh-local`'s: defaults, then a TOML file
//! (`--config` or `KH_CONFIG`; its keys are the `KH_*` names without `KH_`, in lower case), then
//! the environment (`KH_*`, and the compose variables `DB_HOST`, `DB_PORT`, `DB_USER`,
//! `DB_PASS`, `DB_NAME` when no database URL is set), then command-line flags. Validated once at
//! start-up, naming the bad setting.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use config::{Config, Environment, File, FileFormat, Map};
use kh_app_support::{LogFormat, SettingsError, log_filter, non_empty, ranged};
use kh_domain::BusinessCalendar;
use kh_http_common::ServeLimits;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Flags every `kh-cloud` command takes; each overrides the matching setting.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Flags {
    /// A TOML settings file (KH_CONFIG), e.g. `http_addr = "0.0.0.0:3000"`.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// postgres://… or sqlite://… (KH_DATABASE_URL; prefer the environment, which `ps` does
    /// not show).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Address to listen on (KH_HTTP_ADDR).
    #[arg(long, global = true)]
    pub http_addr: Option<String>,
    /// Log filter, e.g. info or kh_cloud=debug (KH_LOG).
    #[arg(long, global = true)]
    pub log: Option<String>,
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
    /// Client connections, how long headers may take (`KH_MAX_CONNECTIONS`,
    /// `KH_HEADER_TIMEOUT_SECS`).
    pub serve_limits: ServeLimits,
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
    /// Hours without contact after which the console lists a branch or PC as needing attention.
    pub stale_hours: u32,
    /// What every branch follows (`KH_CASH_DIFFERENCE_THRESHOLD`, `KH_BLIND_CLOSE`,
    /// `KH_BUSINESS_DAY_STARTS_AT`); the day start is also in `calendar`.
    pub branch_settings: kh_domain::BranchSettings,
}

#[derive(Debug, Deserialize)]
struct Raw {
    database_url: Option<String>,
    http_addr: String,
    admin_token: Option<String>,
    max_batch: String,
    stale_hours: String,
    cash_difference_threshold: String,
    blind_close: String,
    business_day_starts_at: String,
    max_connections: String,
    header_timeout_secs: String,
    timezone: String,
    log: String,
    log_format: Option<String>,
    db_max_connections: String,
    db_wait_secs: String,
    trusted_proxies: Option<String>,
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
    /// Reads the process environment, the settings file and `flags`.
    pub fn load(flags: &Flags) -> Result<Self, SettingsError> {
        Self::load_from(flags, &std::env::vars().collect())
    }

    /// Reads settings from `vars` alone, with no flags (tests pass their own).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, SettingsError> {
        Self::load_from(&Flags::default(), vars)
    }

    /// Reads settings from the file, `vars` as the environment, and `flags`.
    pub fn load_from(flags: &Flags, vars: &HashMap<String, String>) -> Result<Self, SettingsError> {
        let file = flags
            .config
            .clone()
            .or_else(|| non_empty(vars.get("KH_CONFIG").cloned()).map(PathBuf::from));
        let mut builder = Config::builder();
        for (key, value) in [
            ("http_addr", "0.0.0.0:3000"),
            ("max_batch", "500"),
            ("stale_hours", "24"),
            ("cash_difference_threshold", "10000"),
            ("blind_close", "false"),
            ("business_day_starts_at", "00:00"),
            ("max_connections", "1024"),
            ("header_timeout_secs", "10"),
            ("timezone", "Asia/Jakarta"),
            ("log", "info"),
            ("db_max_connections", "10"),
            ("db_wait_secs", "60"),
        ] {
            builder = builder
                .set_default(key, value)
                .map_err(|e| SettingsError::new("defaults", e.to_string()))?;
        }
        if let Some(path) = &file {
            builder = builder.add_source(File::from(path.as_path()).format(FileFormat::Toml));
        }
        let environment: Map<String, String> = vars
            .iter()
            .filter(|(k, v)| k.starts_with("KH_") && *k != "KH_CONFIG" && !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        builder = builder.add_source(
            Environment::with_prefix("KH")
                .prefix_separator("_")
                .try_parsing(false)
                .source(Some(environment)),
        );
        for (key, value) in [
            ("database_url", &flags.database_url),
            ("http_addr", &flags.http_addr),
            ("log", &flags.log),
        ] {
            if let Some(value) = value {
                builder = builder
                    .set_override(key, value.as_str())
                    .map_err(|e| SettingsError::new("flags", e.to_string()))?;
            }
        }
        let raw: Raw = builder
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| {
                SettingsError::new("KH_CONFIG", format!("cannot read the settings: {e}"))
            })?;
        Self::validate(raw, vars)
    }

    fn validate(raw: Raw, vars: &HashMap<String, String>) -> Result<Self, SettingsError> {
        let get = |k: &str| non_empty(vars.get(k).cloned());
        let database_url = match non_empty(raw.database_url) {
            Some(url) => {
                if !(url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite:"))
                {
                    return Err(SettingsError::new(
                        "KH_DATABASE_URL",
                        "must start with postgres:// or sqlite://",
                    ));
                }
                url
            }
            None => {
                let host = get("DB_HOST").ok_or_else(|| {
                    SettingsError::new("KH_DATABASE_URL", "set KH_DATABASE_URL (postgres://… or sqlite://…) or DB_HOST, DB_USER, DB_PASS and DB_NAME")
                })?;
                let port = ranged(
                    "DB_PORT",
                    &get("DB_PORT").unwrap_or_else(|| "5432".into()),
                    1..=u16::MAX,
                    "a port number",
                )?;
                let user = get("DB_USER")
                    .ok_or_else(|| SettingsError::new("DB_USER", "is required with DB_HOST"))?;
                let name = get("DB_NAME")
                    .ok_or_else(|| SettingsError::new("DB_NAME", "is required with DB_HOST"))?;
                let pass = vars.get("DB_PASS").cloned().unwrap_or_default();
                if pass.is_empty() {
                    return Err(SettingsError::new(
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
        let http_addr: SocketAddr = raw.http_addr.trim().parse().map_err(|_| {
            SettingsError::new(
                "KH_HTTP_ADDR",
                format!("{:?} is not an address such as 0.0.0.0:3000", raw.http_addr),
            )
        })?;
        let admin_token = non_empty(raw.admin_token);
        if let Some(token) = &admin_token
            && token.len() < 16
        {
            return Err(SettingsError::new(
                "KH_ADMIN_TOKEN",
                "must be at least 16 characters (e.g. openssl rand -hex 32), or unset to turn the admin API off",
            ));
        }
        let max_batch = ranged("KH_MAX_BATCH", &raw.max_batch, 1..=5_000, "a whole number")?;
        let stale_hours = ranged(
            "KH_STALE_HOURS",
            &raw.stale_hours,
            1..=8_760,
            "a number of hours",
        )?;
        let serve_limits =
            ServeLimits::parse(&raw.max_connections, &raw.header_timeout_secs, 100_000)
                .map_err(|(name, problem)| SettingsError::new(name, problem))?;
        let branch_settings = kh_domain::BranchSettings {
            cash_difference_threshold: ranged(
                "KH_CASH_DIFFERENCE_THRESHOLD",
                &raw.cash_difference_threshold,
                0..=kh_domain::MAX_DIFFERENCE_THRESHOLD,
                "an amount in rupiah",
            )?,
            blind_close: match raw.blind_close.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => {
                    return Err(SettingsError::new(
                        "KH_BLIND_CLOSE",
                        "must be true or false",
                    ));
                }
            },
            day_starts_at_minutes: kh_domain::BranchSettings::day_start(
                raw.business_day_starts_at.trim(),
            )
            .map_err(|e| SettingsError::new("KH_BUSINESS_DAY_STARTS_AT", e.issue))?,
        };
        let calendar = BusinessCalendar::from_name(raw.timezone.trim())
            .map_err(|e| SettingsError::new("KH_TIMEZONE", e.issue))?
            .with_day_start(branch_settings.day_starts_at_minutes);
        let log = log_filter(&raw.log)?;
        let log_format = LogFormat::parse_setting(raw.log_format)?;
        let db_max_connections = ranged(
            "KH_DB_MAX_CONNECTIONS",
            &raw.db_max_connections,
            1..=200,
            "a whole number",
        )?;
        let db_wait_secs = ranged(
            "KH_DB_WAIT_SECS",
            &raw.db_wait_secs,
            0..=3_600,
            "a number of seconds",
        )?;
        let trusted_proxies = non_empty(raw.trusted_proxies)
            .map(|list| {
                list.split(',')
                    .filter(|p| !p.trim().is_empty())
                    .map(str::parse::<kh_http_cloud::TrustedProxy>)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .map_err(|e| {
                SettingsError::new(
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
            stale_hours,
            branch_settings,
            serve_limits,
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
    fn the_file_is_overridden_by_the_environment_and_flags_by_both() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kh-cloud.toml");
        std::fs::write(
            &path,
            "database_url = \"sqlite:///tmp/hq.db\"\nhttp_addr = \"127.0.0.1:4000\"\nmax_batch = 200\ntimezone = \"Asia/Makassar\"\n",
        )
        .unwrap();
        let vars: HashMap<String, String> = [
            ("KH_CONFIG", path.to_str().unwrap()),
            ("KH_MAX_BATCH", "300"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let from_file = Settings::from_vars(&vars).unwrap();
        assert_eq!(
            from_file.database_url.expose_secret(),
            "sqlite:///tmp/hq.db"
        );
        assert_eq!(from_file.http_addr.to_string(), "127.0.0.1:4000");
        assert_eq!(from_file.max_batch, 300, "the environment beats the file");
        assert_eq!(from_file.calendar.name(), "Asia/Makassar");
        let flags = Flags {
            http_addr: Some("127.0.0.1:4100".into()),
            ..Flags::default()
        };
        let flagged = Settings::load_from(&flags, &vars).unwrap();
        assert_eq!(
            flagged.http_addr.to_string(),
            "127.0.0.1:4100",
            "flags beat both"
        );
        let missing = Flags {
            config: Some(dir.path().join("nope.toml")),
            ..Flags::default()
        };
        assert_eq!(
            Settings::load_from(&missing, &HashMap::new())
                .unwrap_err()
                .name,
            "KH_CONFIG"
        );
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
        for (name, bad) in [
            ("KH_BUSINESS_DAY_STARTS_AT", "13:00"),
            ("KH_BUSINESS_DAY_STARTS_AT", "4"),
            ("KH_CASH_DIFFERENCE_THRESHOLD", "-1"),
            ("KH_BLIND_CLOSE", "maybe"),
        ] {
            assert_eq!(load(&[pg, (name, bad)]).unwrap_err().name, name, "{bad}");
        }
        let s = load(&[
            pg,
            ("KH_BUSINESS_DAY_STARTS_AT", "04:30"),
            ("KH_BLIND_CLOSE", "TRUE"),
            ("KH_CASH_DIFFERENCE_THRESHOLD", "25000"),
        ])
        .unwrap();
        assert_eq!(s.calendar.day_start_minutes(), 270);
        assert_eq!(
            s.branch_settings,
            kh_domain::BranchSettings {
                cash_difference_threshold: 25_000,
                blind_close: true,
                day_starts_at_minutes: 270,
            }
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

//! Settings of `kh-local` (DESIGN 5.3): defaults, then a TOML file, then `KH_*` environment
//! variables, then command-line flags. Validated once at start-up, naming the bad setting.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use config::{Config, Environment, File, FileFormat};
use kh_app_support::{LogFormat, SettingsError, log_filter, non_empty, ranged};
use kh_domain::BusinessCalendar;
use kh_http_common::ServeLimits;
use secrecy::SecretString;
use serde::Deserialize;

/// Command-line flags; each overrides the matching `KH_*` setting. Without a command,
/// `kh-local` serves.
#[derive(Debug, Clone, Default, Parser)]
#[command(
    name = "kh-local",
    version,
    about = "Haramain Finance branch server: the cashier app on 127.0.0.1:8080"
)]
pub struct Cli {
    /// A TOML settings file (default: kh-local.toml in the data directory, if present).
    #[arg(long, env = "KH_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Where the database lives (KH_DATA_DIR).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// A sqlite:// URL overriding the database file (KH_DATABASE_URL).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Loopback address to listen on (KH_HTTP_ADDR).
    #[arg(long, global = true)]
    pub http_addr: Option<String>,
    /// IANA time zone for business dates (KH_TIMEZONE).
    #[arg(long, global = true)]
    pub timezone: Option<String>,
    /// Log filter, e.g. info or kh_local=debug (KH_LOG).
    #[arg(long, global = true)]
    pub log: Option<String>,
    /// A task to run instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `kh-local`'s commands besides serving.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Write a checked backup of the database; works while kh-local is running.
    Backup {
        /// Where to write it (default: a new file in the backups folder of the data folder).
        file: Option<PathBuf>,
    },
    /// Put a backup back; only while no kh-local or Haramain Finance window uses the data
    /// folder. The database it replaces is kept in the backups folder first.
    Restore {
        /// The backup file to put back.
        file: PathBuf,
    },
}

/// The validated settings of one `kh-local` process.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder of the database (and its lock file).
    pub data_dir: PathBuf,
    /// A sqlite:// URL; when absent the database is `data_dir/haramain-finance.db`.
    pub database_url: Option<String>,
    /// Where the API listens; always a loopback address.
    pub http_addr: SocketAddr,
    /// HQ's address, used to activate the PC at first start.
    pub cloud_url: Option<String>,
    /// The branch key, used to activate the PC at first start. Never logged.
    pub branch_api_key: Option<SecretString>,
    /// Seconds between sync attempts.
    pub sync_interval_secs: u64,
    /// Entries per push.
    pub sync_batch_size: u32,
    /// Client connections, how long headers may take (`KH_MAX_CONNECTIONS`,
    /// `KH_HEADER_TIMEOUT_SECS`).
    pub serve_limits: ServeLimits,
    /// Business-date time zone.
    pub calendar: BusinessCalendar,
    /// Minutes without use after which the lock screen's session ends (`KH_IDLE_LOCK_MINUTES`).
    pub idle_lock_minutes: u32,
    /// Log filter.
    pub log: String,
    /// Log format; `None` picks pretty on a terminal, JSON otherwise.
    pub log_format: Option<LogFormat>,
}

#[derive(Debug, Deserialize)]
struct Raw {
    data_dir: Option<String>,
    database_url: Option<String>,
    http_addr: String,
    cloud_url: Option<String>,
    branch_api_key: Option<String>,
    sync_interval_secs: String,
    sync_batch_size: String,
    max_connections: String,
    header_timeout_secs: String,
    timezone: String,
    idle_lock_minutes: String,
    log: String,
    log_format: Option<String>,
}

impl Settings {
    /// Loads settings from the process environment and `cli`.
    pub fn load(cli: &Cli) -> Result<Self, SettingsError> {
        Self::load_from(cli, Environment::with_prefix("KH").prefix_separator("_"))
    }

    /// Loads settings with an explicit environment source (tests pass their own).
    pub fn load_from(cli: &Cli, env: Environment) -> Result<Self, SettingsError> {
        let default_dir = default_data_dir();
        let config_file = cli.config.clone().or_else(|| {
            let dir = cli
                .data_dir
                .clone()
                .or_else(|| std::env::var_os("KH_DATA_DIR").map(PathBuf::from))
                .or(default_dir.clone())?;
            Some(dir.join("kh-local.toml"))
        });
        let explicit_file = cli.config.is_some();
        let mut builder = Config::builder()
            .set_default("http_addr", "127.0.0.1:8080")
            .and_then(|b| b.set_default("sync_interval_secs", "30"))
            .and_then(|b| b.set_default("sync_batch_size", "50"))
            .and_then(|b| b.set_default("max_connections", "64"))
            .and_then(|b| b.set_default("header_timeout_secs", "10"))
            .and_then(|b| b.set_default("timezone", "Asia/Jakarta"))
            .and_then(|b| b.set_default("idle_lock_minutes", "10"))
            .and_then(|b| b.set_default("log", "info"))
            .map_err(|e| SettingsError::new("defaults", e.to_string()))?;
        if let Some(path) = &config_file {
            builder = builder.add_source(
                File::from(path.as_path())
                    .format(FileFormat::Toml)
                    .required(explicit_file),
            );
        }
        builder = builder.add_source(env.try_parsing(false));
        let overrides = [
            (
                "data_dir",
                cli.data_dir.as_ref().map(|p| p.display().to_string()),
            ),
            ("database_url", cli.database_url.clone()),
            ("http_addr", cli.http_addr.clone()),
            ("timezone", cli.timezone.clone()),
            ("log", cli.log.clone()),
        ];
        for (key, value) in overrides {
            if let Some(value) = value {
                builder = builder
                    .set_override(key, value)
                    .map_err(|e| SettingsError::new("flags", e.to_string()))?;
            }
        }
        let raw: Raw = builder
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| {
                SettingsError::new("KH_CONFIG", format!("cannot read the settings: {e}"))
            })?;
        Self::validate(raw, default_dir)
    }

    fn validate(raw: Raw, default_dir: Option<PathBuf>) -> Result<Self, SettingsError> {
        let data_dir = match non_empty(raw.data_dir) {
            Some(d) => PathBuf::from(d),
            None => default_dir.ok_or_else(|| {
                SettingsError::new(
                    "KH_DATA_DIR",
                    "no per-user data directory could be found; set KH_DATA_DIR to a folder",
                )
            })?,
        };
        let database_url = non_empty(raw.database_url);
        if let Some(url) = &database_url
            && !url.starts_with("sqlite:")
        {
            return Err(SettingsError::new(
                "KH_DATABASE_URL",
                "must be a sqlite:// URL, e.g. sqlite:///var/lib/kh/ledger.db",
            ));
        }
        let http_addr: SocketAddr = raw.http_addr.trim().parse().map_err(|_| {
            SettingsError::new(
                "KH_HTTP_ADDR",
                format!(
                    "{:?} is not an address such as 127.0.0.1:8080",
                    raw.http_addr
                ),
            )
        })?;
        if !http_addr.ip().is_loopback() {
            return Err(SettingsError::new(
                "KH_HTTP_ADDR",
                "must be a loopback address (127.0.0.1 or [::1]): the cash book API has no login and must not be reachable from the network",
            ));
        }
        let sync_interval_secs = ranged(
            "KH_SYNC_INTERVAL_SECS",
            &raw.sync_interval_secs,
            1..=86_400,
            "a number of seconds",
        )?;
        // HQ accepts at most 500 rows per push.
        let sync_batch_size = ranged(
            "KH_SYNC_BATCH_SIZE",
            &raw.sync_batch_size,
            1..=500,
            "a whole number",
        )?;
        let serve_limits =
            ServeLimits::parse(&raw.max_connections, &raw.header_timeout_secs, 10_000)
                .map_err(|(name, problem)| SettingsError::new(name, problem))?;
        let calendar = BusinessCalendar::from_name(raw.timezone.trim())
            .map_err(|e| SettingsError::new("KH_TIMEZONE", e.issue))?;
        let idle_lock_minutes = ranged(
            "KH_IDLE_LOCK_MINUTES",
            &raw.idle_lock_minutes,
            1..=720,
            "a number of minutes",
        )?;
        let log = log_filter(&raw.log)?;
        let log_format = LogFormat::parse_setting(raw.log_format)?;
        let cloud_url = non_empty(raw.cloud_url);
        let branch_api_key = non_empty(raw.branch_api_key);
        if cloud_url.is_some() != branch_api_key.is_some() {
            return Err(SettingsError::new(
                "KH_CLOUD_URL",
                "KH_CLOUD_URL and KH_BRANCH_API_KEY go together: set both or neither",
            ));
        }
        Ok(Self {
            data_dir,
            database_url,
            http_addr,
            cloud_url,
            branch_api_key: branch_api_key.map(SecretString::from),
            sync_interval_secs,
            sync_batch_size,
            serve_limits,
            calendar,
            idle_lock_minutes,
            log,
            log_format,
        })
    }

    /// Where backups go: `<data_dir>/backups`.
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// The database URL in effect.
    pub fn effective_database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("haramain-finance.db").display()
            )
        })
    }
}

fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("id", "Haramain", "Haramain Finance")
        .map(|d| d.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let cli = Cli {
            data_dir: Some("/tmp/kh-settings-test".into()),
            ..Cli::default()
        };
        Settings::load_from(
            &cli,
            Environment::with_prefix("KH")
                .prefix_separator("_")
                .source(Some(map)),
        )
    }

    #[test]
    fn defaults_match_the_design() {
        let s = load(&[]).unwrap();
        assert_eq!(s.http_addr.to_string(), "127.0.0.1:8080");
        assert_eq!((s.sync_interval_secs, s.sync_batch_size), (30, 50));
        assert_eq!(s.calendar.name(), "Asia/Jakarta");
        assert_eq!(
            s.effective_database_url(),
            "sqlite:///tmp/kh-settings-test/haramain-finance.db"
        );
    }

    #[test]
    fn environment_overrides_and_bad_values_name_the_setting() {
        let s = load(&[
            ("KH_HTTP_ADDR", "127.0.0.1:9999"),
            ("KH_TIMEZONE", "Asia/Jayapura"),
        ])
        .unwrap();
        assert_eq!(s.http_addr.port(), 9999);
        assert_eq!(s.calendar.name(), "Asia/Jayapura");
        for (var, value) in [
            ("KH_HTTP_ADDR", "0.0.0.0:8080"),
            ("KH_HTTP_ADDR", "not an address"),
            ("KH_SYNC_INTERVAL_SECS", "0"),
            ("KH_SYNC_BATCH_SIZE", "5000"),
            ("KH_TIMEZONE", "WIB"),
            ("KH_LOG_FORMAT", "xml"),
            ("KH_DATABASE_URL", "postgres://x"),
            ("KH_CLOUD_URL", "http://hq:3000"),
        ] {
            let err = load(&[(var, value)]).unwrap_err();
            assert_eq!(err.name, var, "{var}={value} gave {err}");
        }
    }

    #[test]
    fn commands_parse_and_no_command_still_means_serve() {
        let serve =
            Cli::try_parse_from(["kh-local", "--data-dir", "/d", "--http-addr", "127.0.0.1:0"])
                .unwrap();
        assert_eq!(serve.command, None);
        assert_eq!(serve.data_dir, Some(PathBuf::from("/d")));
        let backup = Cli::try_parse_from(["kh-local", "backup", "--data-dir", "/d"]).unwrap();
        assert_eq!(backup.command, Some(Command::Backup { file: None }));
        assert_eq!(backup.data_dir, Some(PathBuf::from("/d")));
        let to_file =
            Cli::try_parse_from(["kh-local", "--data-dir", "/d", "backup", "x.db"]).unwrap();
        assert_eq!(
            to_file.command,
            Some(Command::Backup {
                file: Some("x.db".into())
            })
        );
        let restore = Cli::try_parse_from(["kh-local", "restore", "x.db"]).unwrap();
        assert_eq!(
            restore.command,
            Some(Command::Restore {
                file: "x.db".into()
            })
        );
        assert!(Cli::try_parse_from(["kh-local", "restore"]).is_err());
        assert!(Cli::try_parse_from(["kh-local", "serve-please"]).is_err());
    }

    #[test]
    fn the_branch_key_is_never_printed() {
        let s = load(&[
            ("KH_CLOUD_URL", "http://hq:3000"),
            ("KH_BRANCH_API_KEY", "kh_live_secret"),
        ])
        .unwrap();
        assert!(!format!("{s:?}").contains("kh_live_secret"));
    }
}

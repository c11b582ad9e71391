//! What `kh-local`, `kh-cloud` and `kh-desktop` share at start-up: the settings error that names
//! the bad setting, parsing of numbers within a range, and the log subscriber (filter from
//! `KH_LOG`, pretty on a terminal, one JSON object per line otherwise).
#![forbid(unsafe_code)]

use std::fmt::Display;
use std::io::IsTerminal;
use std::ops::RangeInclusive;
use std::str::FromStr;

use serde::Deserialize;
use tracing_subscriber::EnvFilter;

/// A setting that cannot be used, named so the operator can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid setting {name}: {problem}")]
pub struct SettingsError {
    /// The setting, as its environment variable (e.g. `KH_SYNC_INTERVAL_SECS`).
    pub name: &'static str,
    /// What is wrong and what is accepted.
    pub problem: String,
}

impl SettingsError {
    /// `name` cannot be used because of `problem`.
    pub fn new(name: &'static str, problem: impl Into<String>) -> Self {
        Self {
            name,
            problem: problem.into(),
        }
    }
}

/// Trimmed text, or `None` when absent or blank (a blank variable means "not set").
pub fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Parses `text` as a whole number within `range`; otherwise an error naming `name` that says
/// `must be {what} from {start} to {end}`.
pub fn ranged<T>(
    name: &'static str,
    text: &str,
    range: RangeInclusive<T>,
    what: &str,
) -> Result<T, SettingsError>
where
    T: FromStr + PartialOrd + Display,
{
    text.trim()
        .parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            SettingsError::new(
                name,
                format!("must be {what} from {} to {}", range.start(), range.end()),
            )
        })
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

impl LogFormat {
    /// Reads `KH_LOG_FORMAT`: `pretty`, `json`, or blank for "by terminal".
    pub fn parse_setting(text: Option<String>) -> Result<Option<Self>, SettingsError> {
        match non_empty(text).as_deref() {
            None => Ok(None),
            Some("pretty") => Ok(Some(Self::Pretty)),
            Some("json") => Ok(Some(Self::Json)),
            Some(_) => Err(SettingsError::new(
                "KH_LOG_FORMAT",
                "must be pretty or json",
            )),
        }
    }
}

/// Checks a `KH_LOG` filter (e.g. `info` or `kh_local=debug`) and returns it trimmed.
pub fn log_filter(text: &str) -> Result<String, SettingsError> {
    let filter = text.trim().to_owned();
    EnvFilter::try_new(&filter).map_err(|e| {
        SettingsError::new(
            "KH_LOG",
            format!("{e}; use e.g. info, debug or kh_local=debug"),
        )
    })?;
    Ok(filter)
}

/// Where a binary's logs go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    /// Standard output (the servers).
    Stdout,
    /// Standard error, so a command's own output on stdout stays clean (`kh-cloud branch …`).
    Stderr,
}

/// Installs the global subscriber: `filter`, in `format` or (when `None`) pretty on a terminal
/// and JSON otherwise. Safe to call twice (the second call does nothing).
pub fn init_logging(filter: &str, format: Option<LogFormat>, stream: LogStream) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let on_terminal = match stream {
        LogStream::Stdout => std::io::stdout().is_terminal(),
        LogStream::Stderr => std::io::stderr().is_terminal(),
    };
    let format = format.unwrap_or(if on_terminal {
        LogFormat::Pretty
    } else {
        LogFormat::Json
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match (format, stream) {
        (LogFormat::Pretty, LogStream::Stdout) => builder.compact().try_init(),
        (LogFormat::Json, LogStream::Stdout) => builder.json().flatten_event(true).try_init(),
        (LogFormat::Pretty, LogStream::Stderr) => {
            builder.with_writer(std::io::stderr).compact().try_init()
        }
        (LogFormat::Json, LogStream::Stderr) => builder
            .with_writer(std::io::stderr)
            .json()
            .flatten_event(true)
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_outside_their_range_name_the_setting_and_the_range() {
        assert_eq!(ranged("KH_X", " 30 ", 1..=86_400_u64, "seconds"), Ok(30));
        for bad in ["0", "86401", "-1", "ten", "", "1.5"] {
            assert_eq!(
                ranged("KH_X", bad, 1..=86_400_u64, "a number of seconds"),
                Err(SettingsError::new(
                    "KH_X",
                    "must be a number of seconds from 1 to 86400"
                )),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn log_settings_are_checked() {
        assert_eq!(log_filter(" kh_local=debug ").unwrap(), "kh_local=debug");
        assert_eq!(log_filter("[").unwrap_err().name, "KH_LOG");
        assert_eq!(LogFormat::parse_setting(None), Ok(None));
        assert_eq!(
            LogFormat::parse_setting(Some(" json".into())),
            Ok(Some(LogFormat::Json))
        );
        assert_eq!(
            LogFormat::parse_setting(Some("xml".into()))
                .unwrap_err()
                .name,
            "KH_LOG_FORMAT"
        );
    }
}

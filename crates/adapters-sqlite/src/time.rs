//! Timestamps are stored as INTEGER milliseconds since the Unix epoch (UTC): they sort and
//! compare correctly, unlike text whose fractional part varies in length.

use kh_domain::chrono::{DateTime, Utc};

use crate::error::corrupt;
use kh_ports::LedgerError;

/// UTC instant to stored milliseconds.
pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Stored milliseconds back to a UTC instant.
pub(crate) fn from_ms(ms: i64) -> Result<DateTime<Utc>, LedgerError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| corrupt(format!("timestamp {ms} out of range")))
}

//! The SQL plumbing both SeaORM adapters (the branch ledger on SQLite, the HQ store on
//! PostgreSQL or SQLite) would otherwise each write: statements from `?`-placeholder SQL,
//! `WHERE` clauses built from optional filters and date ranges, literal `LIKE` patterns, and what a database
//! error means for the caller (retry later, a lost race, or a bug), and the columns of the per-day
//! totals both keep.
//!
//! Each adapter maps a [`Failure`] to its own port error; nothing here knows the ports.

use kh_domain::Totals;
use sea_orm::prelude::ChronoDate as NaiveDate;
use sea_orm::{
    ConnAcquireErr, DbBackend, DbErr, QueryResult, RuntimeErr, SqlErr, Statement, Value,
};

/// A statement for `backend` from SQL written with `?` placeholders (none inside literals):
/// numbered `$1, $2, …` for PostgreSQL, left as they are for SQLite.
pub fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `?, ?, ?` for `n` values.
pub fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Adds `column >= from` and `column <= to` to `conditions`, for the bounds given (a business
/// date range), with their values.
pub fn date_conditions(
    column: &str,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    conditions: &mut Vec<String>,
    values: &mut Vec<Value>,
) {
    if let Some(from) = from {
        conditions.push(format!("{column} >= ?"));
        values.push(from.into());
    }
    if let Some(to) = to {
        conditions.push(format!("{column} <= ?"));
        values.push(to.into());
    }
}

/// ` WHERE a AND b` for `conditions`, or nothing when there are none.
pub fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// `%text%` with `%`, `_` and `\` escaped, so user text matches literally in
/// `LIKE ? ESCAPE '\'`.
pub fn like_contains(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// What a database error means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Busy, locked, full, not reachable or shutting down: nothing was written; retry later.
    Transient,
    /// PostgreSQL chose this transaction to fail (serialization failure or deadlock victim):
    /// running it again is expected to succeed.
    LockConflict,
    /// A unique constraint refused the write (a concurrent writer got there first).
    Unique,
    /// Anything else: a bug or a broken database.
    Other,
}

/// SQLite result codes for busy, locked, full and cannot-open, and PostgreSQL's classes for
/// connection failures, shutdowns and too many connections.
const TRANSIENT_CODES: &[&str] = &[
    "5", "6", "13", "14", "261", "517", // SQLite
    "08000", "08003", "08006", "08001", "08004", "57P01", "57P02", "57P03",
    "53300", // PostgreSQL
];

/// PostgreSQL's codes for a connection that broke or that the server closed (shutdown, a
/// terminated backend).
const CONNECTION_LOST_CODES: &[&str] = &["08000", "08003", "08006", "57P01", "57P02"];

/// Whether `error` came from a connection that broke under the statement (the server closed
/// it, or the socket failed): the same work can run again on another connection. A pool that
/// cannot hand out a connection at all is not this (the database is down or saturated).
pub fn connection_lost(error: &DbErr) -> bool {
    match error {
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => match e.as_database_error() {
            Some(db) => db
                .code()
                .is_some_and(|c| CONNECTION_LOST_CODES.contains(&c.as_ref())),
            None => matches!(
                e.as_ref(),
                sea_orm::sqlx::Error::Io(_) | sea_orm::sqlx::Error::Protocol(_)
            ),
        },
        _ => false,
    }
}

/// A driver error met outside SeaORM (a statement run on the pool itself), as SeaORM would
/// have reported it: a pool that cannot hand out a connection is a failed acquire, anything
/// else a failed query, so [`classify`] and [`connection_lost`] read both alike.
pub fn driver_err(error: sea_orm::sqlx::Error) -> DbErr {
    match error {
        sea_orm::sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sea_orm::sqlx::Error::PoolClosed => {
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)
        }
        other => DbErr::Query(RuntimeErr::SqlxError(std::sync::Arc::new(other))),
    }
}

/// PostgreSQL's serialization failure and deadlock.
const LOCK_CONFLICT_CODES: &[&str] = &["40001", "40P01"];

/// Classifies `error`: constraint violations through SeaORM's backend-neutral
/// [`DbErr::sql_err`], the rest by the driver's error code or kind.
pub fn classify(error: &DbErr) -> Failure {
    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return Failure::Unique;
    }
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Failure::Transient,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_database_error() {
                Some(db) => match db.code() {
                    Some(c) if LOCK_CONFLICT_CODES.contains(&c.as_ref()) => Failure::LockConflict,
                    Some(c) if TRANSIENT_CODES.contains(&c.as_ref()) => Failure::Transient,
                    _ => Failure::Other,
                },
                None if matches!(
                    e.as_ref(),
                    sea_orm::sqlx::Error::PoolTimedOut
                        | sea_orm::sqlx::Error::PoolClosed
                        | sea_orm::sqlx::Error::Io(_)
                        | sea_orm::sqlx::Error::Tls(_)
                        | sea_orm::sqlx::Error::Protocol(_)
                ) =>
                {
                    Failure::Transient
                }
                None => Failure::Other,
            }
        }
        _ => Failure::Other,
    }
}

/// The columns of a per-day totals table (`daily_totals` on both servers), in the order
/// [`totals_values`] writes and [`read_totals`] reads them.
pub const TOTALS_COLUMNS: [&str; 8] = [
    "total_in",
    "total_out",
    "count_in",
    "count_out",
    "voided_in",
    "voided_out",
    "voided_count_in",
    "voided_count_out",
];

/// `SUM(column)` of every one of [`TOTALS_COLUMNS`], as 64-bit integers on both backends.
pub fn totals_sums() -> String {
    TOTALS_COLUMNS
        .map(|c| format!("CAST(SUM({c}) AS BIGINT)"))
        .join(", ")
}

/// The values of [`TOTALS_COLUMNS`] for one row.
pub fn totals_values(t: &Totals) -> [Value; 8] {
    [
        t.total_in.into(),
        t.total_out.into(),
        t.count_in.into(),
        t.count_out.into(),
        t.voided_in.into(),
        t.voided_out.into(),
        t.voided_count_in.into(),
        t.voided_count_out.into(),
    ]
}

/// Reads [`TOTALS_COLUMNS`] (or their sums, NULL for no rows) from `row`, from column `first`.
pub fn read_totals(row: &QueryResult, first: usize) -> Result<Totals, DbErr> {
    let get = |i: usize| -> Result<i64, DbErr> {
        Ok(row
            .try_get_by_index::<Option<i64>>(first + i)?
            .unwrap_or_default())
    };
    Ok(Totals {
        total_in: get(0)?,
        total_out: get(1)?,
        count_in: get(2)?,
        count_out: get(3)?,
        voided_in: get(4)?,
        voided_out: get(5)?,
        voided_count_in: get(6)?,
        voided_count_out: get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_for_postgres_only() {
        let pg = stmt(
            DbBackend::Postgres,
            "SELECT ? WHERE a = ? AND b IN (?, ?)",
            vec![],
        );
        assert_eq!(pg.sql, "SELECT $1 WHERE a = $2 AND b IN ($3, $4)");
        let lite = stmt(DbBackend::Sqlite, "SELECT ?", vec![]);
        assert_eq!(lite.sql, "SELECT ?");
        assert_eq!(marks(3), "?, ?, ?");
    }

    #[test]
    fn conditions_join_with_and_and_dates_bound_both_ends() {
        assert_eq!(where_clause(&[]), "");
        let (mut conditions, mut values) = (vec!["a = ?".to_owned()], vec![Value::from(1_i64)]);
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        date_conditions("d", (Some(day), None), &mut conditions, &mut values);
        date_conditions("d", (None, Some(day)), &mut conditions, &mut values);
        assert_eq!(
            where_clause(&conditions),
            " WHERE a = ? AND d >= ? AND d <= ?"
        );
        assert_eq!(values, vec![Value::from(1_i64), day.into(), day.into()]);
    }

    #[test]
    fn like_patterns_match_user_text_literally() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_contains(""), "%%");
    }

    #[test]
    fn unknown_errors_are_not_mistaken_for_retryable_ones() {
        assert_eq!(classify(&DbErr::Custom("boom".into())), Failure::Other);
        assert_eq!(
            classify(&DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout)),
            Failure::Transient
        );
    }
}

//! Statements for the branch database: the shared SQL plumbing, bound to SQLite.

use kh_domain::DateRange;
use sea_orm::{DbBackend, Statement, Value};

pub(crate) use kh_adapters_sql::{like_contains, where_clause};

/// A SQLite statement from SQL with `?` placeholders.
pub(crate) fn stmt(sql: impl AsRef<str>, values: Vec<Value>) -> Statement {
    kh_adapters_sql::stmt(DbBackend::Sqlite, sql.as_ref(), values)
}

/// `business_date` conditions for a date range over the aggregate tables.
pub(crate) fn date_conditions(
    range: &DateRange,
    conditions: &mut Vec<String>,
    values: &mut Vec<Value>,
) {
    kh_adapters_sql::date_conditions("business_date", (range.from, range.to), conditions, values);
}

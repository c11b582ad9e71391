//! Plain SQL that runs on both backends: written with `?` placeholders, numbered for PostgreSQL.

use sea_orm::{DbBackend, Statement, Value};

/// A statement for `backend` from SQL written with `?` placeholders (none inside literals).
pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
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
pub(crate) fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `WHERE a AND b` or nothing.
pub(crate) fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
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
    }
}

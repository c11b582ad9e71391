//! PostgreSQL for the HQ store: the connection pool and test databases. The store itself
//! (entities, migrations, queries) is `kh_adapters_hq`, shared with the SQLite trial mode.
#![forbid(unsafe_code)]

use std::str::FromStr;
use std::time::Duration;

use kh_adapters_hq::HqStore;
use kh_domain::BusinessCalendar;
use sea_orm::sqlx::Connection;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::{ConnectionTrait, SqlxPostgresConnector};

/// Why PostgreSQL could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    /// The URL cannot be parsed.
    #[error("{0:?} is not a PostgreSQL URL such as postgres://user:password@host:5432/db")]
    BadUrl(String),
    /// The server refused or could not be reached.
    #[error("PostgreSQL: {0}")]
    Database(String),
}

/// A pooled connection idle this long is pinged before it is used again.
const PING_AFTER_IDLE: Duration = Duration::from_secs(5);

/// Pool settings: the pool reconnects on its own after PostgreSQL restarts, and a request that
/// cannot get a connection within the acquire timeout fails fast (the API answers 503).
pub fn connect(
    url: &str,
    calendar: BusinessCalendar,
    max_connections: u32,
) -> Result<HqStore, PgError> {
    let options = PgConnectOptions::from_str(url).map_err(|_| PgError::BadUrl(redact(url)))?;
    let pool = PgPoolOptions::new()
        // A connection back in use within a few seconds is used as it is: a branch draining
        // its backlog pays no extra round trip per push. One idle for longer is pinged first
        // (and replaced if PostgreSQL closed it). A push that still meets a dead connection
        // runs again on another (kh_adapters_hq::ingest).
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .max_connections(max_connections)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(3))
        .idle_timeout(Some(Duration::from_secs(300)))
        .connect_lazy_with(options);
    let conn = SqlxPostgresConnector::from_sqlx_postgres_pool(pool);
    Ok(HqStore::new(conn.clone(), conn, calendar, None))
}

/// `url` with its password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// One connection to `admin_url`, for the test helpers below.
async fn admin_connection(admin_url: &str) -> Result<sea_orm::DatabaseConnection, PgError> {
    let options =
        PgConnectOptions::from_str(admin_url).map_err(|_| PgError::BadUrl(redact(admin_url)))?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| PgError::Database(format!("cannot reach {}: {e}", redact(admin_url))))?;
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

/// Creates a fresh, uniquely named database next to `admin_url`'s and returns its URL.
/// For tests: every suite gets its own database.
pub async fn create_test_database(admin_url: &str) -> Result<String, PgError> {
    let conn = admin_connection(admin_url).await?;
    let name = format!("kh_test_{}", uuid::Uuid::new_v4().simple());
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(|e| PgError::Database(e.to_string()))?;
    let _ = conn.close().await;
    let base = match admin_url.rfind('/') {
        Some(i) if admin_url[..i].contains("://") && i > admin_url.find("://").unwrap_or(0) + 2 => {
            &admin_url[..i]
        }
        _ => admin_url,
    };
    Ok(format!("{base}/{name}"))
}

/// Closes every connection to the database of `database_url` from the server side, as a
/// PostgreSQL restart or a proxy's idle timeout does; returns how many were closed. For tests.
pub async fn close_connections_to(admin_url: &str, database_url: &str) -> Result<u64, PgError> {
    let name = PgConnectOptions::from_str(database_url)
        .map_err(|_| PgError::BadUrl(redact(database_url)))?
        .get_database()
        .map(str::to_owned)
        .ok_or_else(|| PgError::BadUrl(redact(database_url)))?;
    let conn = admin_connection(admin_url).await?;
    let closed = conn
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
            [name.into()],
        ))
        .await
        .map_err(|e| PgError::Database(e.to_string()))?;
    let _ = conn.close().await;
    Ok(closed.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://kh:s3cret@db:5432/kh"),
            "postgres://kh:***@db:5432/kh"
        );
        assert_eq!(redact("postgres://db/kh"), "postgres://db/kh");
    }
}

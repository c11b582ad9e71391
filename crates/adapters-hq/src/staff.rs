//! [`HqStaff`]: HQ's users, sessions, sign-in failures and audit log.

use async_trait::async_trait;
use kh_adapters_sql::{Failure, classify, stmt};
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{Email, HqUser, KeyHash, Role, UserId};
use kh_ports::{AuditEntry, HqError, HqStaff, NewSession, Session};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::directory::ms;
use crate::error::{corrupt, db_err};

/// The first key of the advisory lock a sign-in attempt takes on its email (the second is the
/// email's hash): the two-key lock space, apart from the pushes' one-key branch locks.
const SIGN_IN_LOCK_CLASS: i32 = 1;

const USER_COLUMNS: &str = "id, email, role, created_at, disabled_at";

/// Decodes [`USER_COLUMNS`] from column `first` on.
fn user(row: &QueryResult, first: usize) -> Result<HqUser, HqError> {
    let id: Uuid = row.try_get_by_index(first).map_err(db_err)?;
    let email: String = row.try_get_by_index(first + 1).map_err(db_err)?;
    let role: String = row.try_get_by_index(first + 2).map_err(db_err)?;
    Ok(HqUser {
        id: UserId::from_uuid(id),
        email: Email::parse(&email).map_err(|e| corrupt(e.to_string()))?,
        role: Role::parse("role", &role).map_err(|e| corrupt(e.to_string()))?,
        created_at: row.try_get_by_index(first + 3).map_err(db_err)?,
        disabled_at: row.try_get_by_index(first + 4).map_err(db_err)?,
    })
}

impl HqStore {
    /// One statement that answers the changed user, or `ItemNotFound`.
    async fn change_user(
        &self,
        id: UserId,
        set: &str,
        value: Value,
        end_sessions: bool,
    ) -> Result<HqUser, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let backend = txn.get_database_backend();
        let row = txn
            .query_one_raw(stmt(
                backend,
                &format!("UPDATE hq_users SET {set} = ? WHERE id = ? RETURNING {USER_COLUMNS}"),
                vec![value, id.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| HqError::ItemNotFound(format!("No HQ user with id {id}")))?;
        let changed = user(&row, 0)?;
        if end_sessions {
            txn.execute_raw(stmt(
                backend,
                "DELETE FROM hq_sessions WHERE user_id = ?",
                vec![id.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(changed)
    }
}

#[async_trait]
impl HqStaff for HqStore {
    async fn create_user(&self, u: &HqUser, password_hash: &str) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO hq_users (id, email, role, password_hash, created_at, disabled_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
                vec![
                    u.id.as_uuid().into(),
                    u.email.as_str().into(),
                    u.role.as_str().into(),
                    password_hash.into(),
                    ms(u.created_at).into(),
                    u.disabled_at.map(ms).into(),
                ],
            ))
            .await
            .map_err(|e| match classify(&e) {
                Failure::Unique => HqError::NameTaken(format!(
                    "An HQ user with email {} already exists",
                    u.email.as_str()
                )),
                _ => db_err(e),
            })?;
        Ok(())
    }

    async fn user_by_email(&self, email: &Email) -> Result<Option<(HqUser, String)>, HqError> {
        let backend = self.reader.get_database_backend();
        let row = self
            .reader
            .query_one_raw(stmt(
                backend,
                &format!("SELECT {USER_COLUMNS}, password_hash FROM hq_users WHERE email = ?"),
                vec![email.as_str().into()],
            ))
            .await
            .map_err(db_err)?;
        row.map(|r| {
            let hash: String = r.try_get_by_index(5).map_err(db_err)?;
            Ok((user(&r, 0)?, hash))
        })
        .transpose()
    }

    async fn users(&self) -> Result<Vec<HqUser>, HqError> {
        let backend = self.reader.get_database_backend();
        self.reader
            .query_all_raw(stmt(
                backend,
                &format!("SELECT {USER_COLUMNS} FROM hq_users ORDER BY email"),
                vec![],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| user(r, 0))
            .collect()
    }

    async fn set_disabled(&self, id: UserId, at: Option<DateTime<Utc>>) -> Result<HqUser, HqError> {
        self.change_user(id, "disabled_at", at.map(ms).into(), at.is_some())
            .await
    }

    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<HqUser, HqError> {
        self.change_user(id, "password_hash", password_hash.into(), true)
            .await
    }

    async fn try_sign_in(
        &self,
        email: &Email,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
        max: u32,
    ) -> Result<bool, HqError> {
        // The count and the insert are one step: on PostgreSQL under a lock on the email held
        // to the commit (every HQ process on the database waits for it), on SQLite by its one
        // writer connection.
        let backend = self.writer.get_database_backend();
        let txn = self.writer.begin().await.map_err(db_err)?;
        if backend == DbBackend::Postgres {
            txn.execute_raw(stmt(
                backend,
                "SELECT pg_advisory_xact_lock(?, hashtext(?))",
                vec![SIGN_IN_LOCK_CLASS.into(), email.as_str().into()],
            ))
            .await
            .map_err(db_err)?;
        }
        let row = txn
            .query_one_raw(stmt(
                backend,
                "SELECT COUNT(*) FROM sign_in_failures WHERE email = ? AND at >= ?",
                vec![email.as_str().into(), ms(since).into()],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("COUNT returned no row"))?;
        let failures: i64 = row.try_get_by_index(0).map_err(db_err)?;
        let allowed = failures < i64::from(max);
        if allowed {
            txn.execute_raw(stmt(
                backend,
                "INSERT INTO sign_in_failures (email, at) VALUES (?, ?)",
                vec![email.as_str().into(), ms(at).into()],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(allowed)
    }

    async fn clear_failed_sign_ins(
        &self,
        email: &Email,
        stale_before: DateTime<Utc>,
    ) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        self.writer
            .execute_raw(stmt(
                backend,
                "DELETE FROM sign_in_failures WHERE email = ? OR at < ?",
                vec![email.as_str().into(), ms(stale_before).into()],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn open_session(&self, s: NewSession) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        // Sessions that ended unused are never asked for again: each sign-in clears them.
        self.writer
            .execute_raw(stmt(
                backend,
                "DELETE FROM hq_sessions WHERE expires_at < ?",
                vec![ms(s.at).into()],
            ))
            .await
            .map_err(db_err)?;
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO hq_sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
                vec![
                    s.token_hash.as_bytes().to_vec().into(),
                    s.user.as_uuid().into(),
                    s.csrf_token.into(),
                    ms(s.at).into(),
                    ms(s.expires_at).into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session(
        &self,
        token_hash: &KeyHash,
        now: DateTime<Utc>,
        extend_to: DateTime<Utc>,
    ) -> Result<Option<Session>, HqError> {
        let backend = self.writer.get_database_backend();
        // One statement: a live session of an enabled user gets its new expiry and is answered.
        let row = self
            .writer
            .query_one_raw(stmt(
                backend,
                "UPDATE hq_sessions SET expires_at = ? WHERE token_hash = ? AND expires_at > ? \
                 AND user_id IN (SELECT id FROM hq_users WHERE disabled_at IS NULL) \
                 RETURNING user_id, csrf_token, expires_at",
                vec![
                    ms(extend_to).into(),
                    token_hash.as_bytes().to_vec().into(),
                    ms(now).into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user_id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
        let csrf_token: String = row.try_get_by_index(1).map_err(db_err)?;
        let expires_at: DateTime<Utc> = row.try_get_by_index(2).map_err(db_err)?;
        let found = self
            .writer
            .query_one_raw(stmt(
                backend,
                &format!("SELECT {USER_COLUMNS} FROM hq_users WHERE id = ?"),
                vec![user_id.into()],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("a session without its user"))?;
        Ok(Some(Session {
            user: user(&found, 0)?,
            csrf_token,
            expires_at,
        }))
    }

    async fn close_session(&self, token_hash: &KeyHash) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        self.writer
            .execute_raw(stmt(
                backend,
                "DELETE FROM hq_sessions WHERE token_hash = ?",
                vec![token_hash.as_bytes().to_vec().into()],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn audit(&self, entry: AuditEntry) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO audit_log (at, actor, action, target) VALUES (?, ?, ?, ?)",
                vec![
                    ms(entry.at).into(),
                    entry.actor.into(),
                    entry.action.into(),
                    entry.target.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, HqError> {
        let backend = self.reader.get_database_backend();
        self.reader
            .query_all_raw(stmt(
                backend,
                "SELECT at, actor, action, target FROM audit_log ORDER BY seq DESC LIMIT ?",
                vec![i64::from(limit).into()],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get_by_index(0).map_err(db_err)?,
                    actor: r.try_get_by_index(1).map_err(db_err)?,
                    action: r.try_get_by_index(2).map_err(db_err)?,
                    target: r.try_get_by_index(3).map_err(db_err)?,
                })
            })
            .collect()
    }
}

//! [`BranchPeople`] for the branch database: wrong-PIN counts and lock-screen sessions, in the
//! file, so a restart neither undoes a lock nor signs anybody out. Sessions are found by the
//! token's hash; the token itself is never stored.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{KeyHash, StaffId};
use kh_ports::{BranchPeople, LedgerError, PinLock, PinTry};
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use super::BranchStore;
use crate::error::db_err;
use crate::sql::stmt;
use crate::time::{from_ms, to_ms};

/// How stale a session's last use may get before a request writes it again.
const SESSION_REFRESH_SECS: i64 = 30;
/// Sessions unused this long are removed when a new one opens (an idle one is refused long
/// before; this only keeps the table small).
const SESSION_PURGE_DAYS: i64 = 1;

#[async_trait]
impl BranchPeople for BranchStore {
    async fn pin_try(
        &self,
        staff: StaffId,
        max: u32,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<PinTry, LedgerError> {
        // One transaction on the one writer connection: the lock is read and the attempt
        // counted with nothing in between, so attempts made at once count one after another.
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let row = txn
            .query_one_raw(stmt(
                "SELECT failures, locked_until FROM pin_failures WHERE staff_id = ?",
                vec![staff.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        let before = match row {
            None => PinLock::default(),
            Some(row) => PinLock {
                failures: u32::try_from(row.try_get_by_index::<i64>(0).map_err(db_err)?)
                    .unwrap_or(u32::MAX),
                locked_until: row
                    .try_get_by_index::<Option<i64>>(1)
                    .map_err(db_err)?
                    .map(from_ms)
                    .transpose()?,
            },
        };
        if let Some(locked) = before.locked_until.filter(|u| *u > now) {
            txn.commit().await.map_err(db_err)?;
            return Ok(PinTry::Locked(locked));
        }
        let after = before.after_wrong(max, until);
        txn.execute_raw(stmt(
            "INSERT INTO pin_failures (staff_id, failures, locked_until) VALUES (?, ?, ?) \
             ON CONFLICT (staff_id) DO UPDATE SET \
             failures = excluded.failures, locked_until = excluded.locked_until",
            vec![
                staff.as_uuid().into(),
                i64::from(after.failures).into(),
                after.locked_until.map(to_ms).into(),
            ],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(PinTry::Counted(after))
    }

    async fn pin_passed(&self, staff: StaffId) -> Result<(), LedgerError> {
        self.db
            .writer
            .execute_raw(stmt(
                "DELETE FROM pin_failures WHERE staff_id = ?",
                vec![staff.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn open_session(
        &self,
        token: &KeyHash,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let old = at - kh_domain::chrono::Duration::days(SESSION_PURGE_DAYS);
        self.db
            .writer
            .execute_raw(stmt(
                "DELETE FROM staff_sessions WHERE last_used_at < ?",
                vec![to_ms(old).into()],
            ))
            .await
            .map_err(db_err)?;
        self.db
            .writer
            .execute_raw(stmt(
                "INSERT INTO staff_sessions (token_hash, staff_id, opened_at, last_used_at) \
                 VALUES (?, ?, ?, ?)",
                vec![
                    token.as_bytes().to_vec().into(),
                    staff.as_uuid().into(),
                    to_ms(at).into(),
                    to_ms(at).into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session(
        &self,
        token: &KeyHash,
        idle_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<StaffId>, LedgerError> {
        let key = token.as_bytes().to_vec();
        // A session confirmed in the file less than the refresh interval ago needs no read:
        // only this process writes the file, and ending a session forgets it here too.
        if let Some((id, used)) = self.sessions.recent(&key)
            && used > idle_since
            && now - used <= kh_domain::chrono::Duration::seconds(SESSION_REFRESH_SECS)
        {
            return Ok(Some(id));
        }
        let row = self
            .db
            .reader
            .query_one_raw(stmt(
                "SELECT staff_id, last_used_at FROM staff_sessions WHERE token_hash = ?",
                vec![key.clone().into()],
            ))
            .await
            .map_err(db_err)?;
        let Some(row) = row else {
            self.sessions.forget(&key);
            return Ok(None);
        };
        let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
        let mut used = from_ms(row.try_get_by_index(1).map_err(db_err)?)?;
        if used <= idle_since {
            self.close_session(token).await?;
            return Ok(None);
        }
        // A cashier at work uses the session many times a minute: its last use is written
        // at most every 30 s (the idle limit is minutes), not at every entry.
        if now - used > kh_domain::chrono::Duration::seconds(SESSION_REFRESH_SECS) {
            self.db
                .writer
                .execute_raw(stmt(
                    "UPDATE staff_sessions SET last_used_at = ? WHERE token_hash = ?",
                    vec![to_ms(now).into(), key.clone().into()],
                ))
                .await
                .map_err(db_err)?;
            used = from_ms(to_ms(now))?;
        }
        let id = StaffId::from_uuid(id);
        self.sessions.confirmed(key, id, used);
        Ok(Some(id))
    }

    async fn close_session(&self, token: &KeyHash) -> Result<(), LedgerError> {
        self.sessions.forget(token.as_bytes());
        self.db
            .writer
            .execute_raw(stmt(
                "DELETE FROM staff_sessions WHERE token_hash = ?",
                vec![token.as_bytes().to_vec().into()],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

/// A session's token hash, with its member and its last use as written in the file.
type Confirmed = std::collections::HashMap<Vec<u8>, (StaffId, DateTime<Utc>)>;

/// Sessions this process confirmed in the file lately, with their last use as written there.
#[derive(Debug, Default)]
pub(crate) struct RecentSessions(std::sync::Mutex<Confirmed>);

impl RecentSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Confirmed> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn recent(&self, key: &[u8]) -> Option<(StaffId, DateTime<Utc>)> {
        self.lock().get(key).copied()
    }

    fn confirmed(&self, key: Vec<u8>, id: StaffId, used: DateTime<Utc>) {
        let mut known = self.lock();
        if known.len() > 1_000 {
            known.clear();
        }
        known.insert(key, (id, used));
    }

    fn forget(&self, key: &[u8]) {
        self.lock().remove(key);
    }
}

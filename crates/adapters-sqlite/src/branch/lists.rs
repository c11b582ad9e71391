//! [`BranchLists`] for the branch database: the copy of HQ's lists the entry form offers, kept
//! in memory between changes (one process owns the file, so the copy cannot go stale).

use async_trait::async_trait;
use kh_domain::{
    BranchSettings, Category, CategoryId, CategoryUse, ChannelId, ChannelKind, ChannelName,
    ListCategory, Lists, PaymentChannel, PinHash, StaffId, StaffMember, StaffName, StaffRole,
};
use kh_ports::{BranchLists, LedgerError};
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use super::BranchStore;
use crate::error::{corrupt, db_err};
use crate::sql::stmt;

const UPSERT_CHANNEL: &str = "INSERT INTO list_channels (id, name, kind, active) VALUES (?, ?, ?, ?) \
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, active = excluded.active";
const UPSERT_STAFF: &str = "INSERT INTO staff (id, name, role, active, pin_hash, version) \
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
     role = excluded.role, active = excluded.active, pin_hash = excluded.pin_hash, \
     version = excluded.version";
const UPSERT_CATEGORY: &str = "INSERT INTO list_categories (id, name, type, active) VALUES (?, ?, ?, ?) \
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, active = excluded.active";

fn bad(e: impl std::fmt::Display) -> LedgerError {
    corrupt(format!("stored list item: {e}"))
}

impl BranchStore {
    async fn read_lists(&self) -> Result<Lists, LedgerError> {
        let conn = &self.db.reader;
        let row = conn
            .query_one_raw(stmt(
                "SELECT lists_version, allow_new_categories, cash_difference_threshold, \
                 blind_close, day_starts_at FROM sync_settings WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("sync_settings row missing"))?;
        let version: i64 = row.try_get_by_index(0).map_err(db_err)?;
        let day_start: i64 = row.try_get_by_index(4).map_err(db_err)?;
        let settings = BranchSettings {
            cash_difference_threshold: row.try_get_by_index(2).map_err(db_err)?,
            blind_close: row.try_get_by_index(3).map_err(db_err)?,
            day_starts_at_minutes: u16::try_from(day_start).map_err(bad)?,
        };
        if version == 0 {
            return Ok(Lists {
                settings,
                ..Lists::defaults()
            });
        }
        let allow_new_categories: bool = row.try_get_by_index(1).map_err(db_err)?;
        // Cash first, then by name; categories by name.
        let channels = conn
            .query_all_raw(stmt(
                "SELECT id, name, kind, active FROM list_channels \
                 ORDER BY kind = 'cash' DESC, name COLLATE NOCASE, id",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let id: Uuid = r.try_get_by_index(0).map_err(db_err)?;
                let name: String = r.try_get_by_index(1).map_err(db_err)?;
                let kind: String = r.try_get_by_index(2).map_err(db_err)?;
                Ok(PaymentChannel {
                    id: ChannelId::from_uuid(id),
                    name: ChannelName::parse("name", &name).map_err(bad)?,
                    kind: ChannelKind::parse("kind", &kind).map_err(bad)?,
                    active: r.try_get_by_index(3).map_err(db_err)?,
                })
            })
            .collect::<Result<Vec<_>, LedgerError>>()?;
        let categories = conn
            .query_all_raw(stmt(
                "SELECT id, name, type, active FROM list_categories ORDER BY name COLLATE NOCASE, id",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let id: Uuid = r.try_get_by_index(0).map_err(db_err)?;
                let name: String = r.try_get_by_index(1).map_err(db_err)?;
                let usage: String = r.try_get_by_index(2).map_err(db_err)?;
                Ok(ListCategory {
                    id: CategoryId::from_uuid(id),
                    name: Category::parse(&name).map_err(bad)?,
                    usage: CategoryUse::parse("type", &usage).map_err(bad)?,
                    active: r.try_get_by_index(3).map_err(db_err)?,
                })
            })
            .collect::<Result<Vec<_>, LedgerError>>()?;
        let staff = conn
            .query_all_raw(stmt(
                "SELECT id, name, role, active, pin_hash, version FROM staff \
                 ORDER BY name COLLATE NOCASE, id",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let id: Uuid = r.try_get_by_index(0).map_err(db_err)?;
                let name: String = r.try_get_by_index(1).map_err(db_err)?;
                let role: String = r.try_get_by_index(2).map_err(db_err)?;
                Ok(StaffMember {
                    id: StaffId::from_uuid(id),
                    name: StaffName::parse(&name).map_err(bad)?,
                    role: StaffRole::parse("role", &role).map_err(bad)?,
                    active: r.try_get_by_index(3).map_err(db_err)?,
                    pin_hash: PinHash::new(r.try_get_by_index(4).map_err(db_err)?),
                    version: r.try_get_by_index(5).map_err(db_err)?,
                })
            })
            .collect::<Result<Vec<_>, LedgerError>>()?;
        Ok(Lists {
            version,
            categories,
            channels,
            allow_new_categories,
            staff,
            settings,
        })
    }
}

#[async_trait]
impl BranchLists for BranchStore {
    async fn lists(&self) -> Result<Lists, LedgerError> {
        if let Some(lists) = self.lists_cache.read().await.as_ref() {
            return Ok(lists.clone());
        }
        let mut cache = self.lists_cache.write().await;
        let lists = self.read_lists().await?;
        *cache = Some(lists.clone());
        Ok(lists)
    }

    async fn apply_lists(&self, lists: &Lists, complete: bool) -> Result<(), LedgerError> {
        // The cache is held for writing across the change, so no reader keeps an old copy.
        let mut cache = self.lists_cache.write().await;
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let row = txn
            .query_one_raw(stmt(
                "SELECT lists_version FROM sync_settings WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("sync_settings row missing"))?;
        let stored: i64 = row.try_get_by_index(0).map_err(db_err)?;
        // The settings come whole with every answer, whatever the version.
        let s = &lists.settings;
        txn.execute_raw(stmt(
            "UPDATE sync_settings SET cash_difference_threshold = ?, blind_close = ?, \
             day_starts_at = ? WHERE id = 1",
            vec![
                s.cash_difference_threshold.into(),
                s.blind_close.into(),
                i64::from(s.day_starts_at_minutes).into(),
            ],
        ))
        .await
        .map_err(db_err)?;
        if !complete && lists.version <= stored {
            txn.commit().await.map_err(db_err)?;
            *cache = None;
            return Ok(());
        }
        if complete {
            txn.execute_unprepared(
                "DELETE FROM list_channels; DELETE FROM list_categories; DELETE FROM staff;",
            )
            .await
            .map_err(db_err)?;
        }
        for c in &lists.channels {
            txn.execute_raw(stmt(
                UPSERT_CHANNEL,
                vec![
                    c.id.as_uuid().into(),
                    c.name.as_str().into(),
                    c.kind.as_str().into(),
                    c.active.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        }
        for c in &lists.categories {
            txn.execute_raw(stmt(
                UPSERT_CATEGORY,
                vec![
                    c.id.as_uuid().into(),
                    c.name.as_str().into(),
                    c.usage.as_str().into(),
                    c.active.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        }
        for m in &lists.staff {
            txn.execute_raw(stmt(
                UPSERT_STAFF,
                vec![
                    m.id.as_uuid().into(),
                    m.name.as_str().into(),
                    m.role.as_str().into(),
                    m.active.into(),
                    m.pin_hash.as_str().into(),
                    m.version.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.execute_raw(stmt(
            "UPDATE sync_settings SET lists_version = ?, allow_new_categories = ? WHERE id = 1",
            vec![lists.version.into(), lists.allow_new_categories.into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        *cache = None;
        Ok(())
    }
}

//! [`HqLists`]: HQ's categories and payment channels (DESIGN 9), versioned. Every change takes
//! the next version while holding the one `list_state` row until it commits, so versions
//! become visible in order and a branch asking for "after V" never misses a change.

use async_trait::async_trait;
use kh_adapters_sql::{Failure, classify, stmt};
use kh_domain::chrono::{DateTime, SubsecRound, Utc};
use kh_domain::{
    Category, CategoryId, CategoryUse, ChannelId, ChannelKind, ChannelName, ListCategory, Lists,
    PaymentChannel, default_categories, default_channels,
};
use kh_ports::{CategoryChange, ChannelChange, HqError, HqLists};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};

const CATEGORY_COLUMNS: &str = "id, name, type, active";
const CHANNEL_COLUMNS: &str = "id, name, kind, active";

fn bad(e: impl std::fmt::Display) -> HqError {
    corrupt(format!("list item: {e}"))
}

fn category(row: &QueryResult) -> Result<ListCategory, HqError> {
    let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
    let name: String = row.try_get_by_index(1).map_err(db_err)?;
    let usage: String = row.try_get_by_index(2).map_err(db_err)?;
    Ok(ListCategory {
        id: CategoryId::from_uuid(id),
        name: Category::parse(&name).map_err(bad)?,
        usage: CategoryUse::parse("type", &usage).map_err(bad)?,
        active: row.try_get_by_index(3).map_err(db_err)?,
    })
}

fn channel(row: &QueryResult) -> Result<PaymentChannel, HqError> {
    let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
    let name: String = row.try_get_by_index(1).map_err(db_err)?;
    let kind: String = row.try_get_by_index(2).map_err(db_err)?;
    Ok(PaymentChannel {
        id: ChannelId::from_uuid(id),
        name: ChannelName::parse("name", &name).map_err(bad)?,
        kind: ChannelKind::parse("kind", &kind).map_err(bad)?,
        active: row.try_get_by_index(3).map_err(db_err)?,
    })
}

/// A write that broke a unique name: the list already has it.
fn taken(e: DbErr, what: &str, name: &str) -> HqError {
    match classify(&e) {
        Failure::Unique => HqError::NameTaken(format!(
            "The {what} list already has {name:?} (names compare without case and extra spaces); \
             choose another name or change that item"
        )),
        _ => db_err(e),
    }
}

/// Takes the next version of the lists, holding the state row until the transaction ends.
pub(crate) async fn next_version(txn: &DatabaseTransaction) -> Result<i64, HqError> {
    let backend = txn.get_database_backend();
    let row = txn
        .query_one_raw(stmt(
            backend,
            "UPDATE list_state SET version = version + 1 WHERE id = 1 RETURNING version",
            vec![],
        ))
        .await
        .map_err(db_err)?
        .ok_or_else(|| corrupt("list_state has no row"))?;
    row.try_get_by_index(0).map_err(db_err)
}

/// `UPDATE table SET <given fields>, version, updated_at WHERE id RETURNING columns`.
pub(crate) async fn update_item(
    txn: &DatabaseTransaction,
    table: &str,
    columns: &str,
    id: Uuid,
    mut sets: Vec<(&str, Value)>,
    version: i64,
    at: DateTime<Utc>,
) -> Result<Option<QueryResult>, DbErr> {
    sets.push(("version", version.into()));
    sets.push(("updated_at", at.trunc_subsecs(3).into()));
    let assignments = sets
        .iter()
        .map(|(c, _)| format!("{c} = ?"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values: Vec<Value> = sets.into_iter().map(|(_, v)| v).collect();
    values.push(id.into());
    txn.query_one_raw(stmt(
        txn.get_database_backend(),
        &format!("UPDATE {table} SET {assignments} WHERE id = ? RETURNING {columns}"),
        values,
    ))
    .await
}

impl HqStore {
    /// Fills the lists with the defaults the first time HQ starts with them (version 1).
    pub(crate) async fn ensure_lists(&self) -> Result<(), HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let backend = txn.get_database_backend();
        let created = txn
            .execute_raw(stmt(
                backend,
                "INSERT INTO list_state (id, version, allow_new_categories) VALUES (1, 1, ?) \
                 ON CONFLICT (id) DO NOTHING",
                vec![true.into()],
            ))
            .await
            .map_err(db_err)?
            .rows_affected();
        if created == 1 {
            let at = Utc::now().trunc_subsecs(3);
            for c in default_categories() {
                txn.execute_raw(stmt(
                    backend,
                    "INSERT INTO list_categories (id, name, key, type, active, version, updated_at) \
                     VALUES (?, ?, ?, ?, ?, 1, ?)",
                    vec![
                        c.id.as_uuid().into(),
                        c.name.as_str().into(),
                        c.name.key().into(),
                        c.usage.as_str().into(),
                        c.active.into(),
                        at.into(),
                    ],
                ))
                .await
                .map_err(db_err)?;
            }
            for c in default_channels() {
                txn.execute_raw(stmt(
                    backend,
                    "INSERT INTO list_channels (id, name, key, kind, active, version, updated_at) \
                     VALUES (?, ?, ?, ?, ?, 1, ?)",
                    vec![
                        c.id.as_uuid().into(),
                        c.name.as_str().into(),
                        c.name.key().into(),
                        c.kind.as_str().into(),
                        c.active.into(),
                        at.into(),
                    ],
                ))
                .await
                .map_err(db_err)?;
            }
        }
        txn.commit().await.map_err(db_err)
    }
}

#[async_trait]
impl HqLists for HqStore {
    async fn lists_since(&self, since: i64) -> Result<Lists, HqError> {
        let backend = self.reader.get_database_backend();
        // The state first: a change committed after this read is sent again next time, never
        // skipped (its items carry a version above the one answered).
        let state = self
            .reader
            .query_one_raw(stmt(
                backend,
                "SELECT version, allow_new_categories FROM list_state WHERE id = 1",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("list_state has no row"))?;
        let version: i64 = state.try_get_by_index(0).map_err(db_err)?;
        let allow_new_categories: bool = state.try_get_by_index(1).map_err(db_err)?;
        let mut lists = Lists {
            version,
            categories: Vec::new(),
            channels: Vec::new(),
            allow_new_categories,
            staff: Vec::new(),
            // HQ's settings are not stored with the lists: the caller puts them in.
            settings: kh_domain::BranchSettings::default(),
        };
        if since >= version {
            return Ok(lists);
        }
        lists.categories = self
            .reader
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT {CATEGORY_COLUMNS} FROM list_categories WHERE version > ? ORDER BY name, id"
                ),
                vec![since.into()],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(category)
            .collect::<Result<_, _>>()?;
        lists.channels = self
            .reader
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT {CHANNEL_COLUMNS} FROM list_channels WHERE version > ? \
                     ORDER BY kind = 'cash' DESC, name, id"
                ),
                vec![since.into()],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(channel)
            .collect::<Result<_, _>>()?;
        Ok(lists)
    }

    async fn add_category(
        &self,
        name: Category,
        usage: CategoryUse,
        at: DateTime<Utc>,
    ) -> Result<ListCategory, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let version = next_version(&txn).await?;
        let item = ListCategory {
            id: CategoryId::new_v4(),
            name,
            usage,
            active: true,
        };
        txn.execute_raw(stmt(
            txn.get_database_backend(),
            "INSERT INTO list_categories (id, name, key, type, active, version, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![
                item.id.as_uuid().into(),
                item.name.as_str().into(),
                item.name.key().into(),
                item.usage.as_str().into(),
                true.into(),
                version.into(),
                at.trunc_subsecs(3).into(),
            ],
        ))
        .await
        .map_err(|e| taken(e, "category", item.name.as_str()))?;
        txn.commit().await.map_err(db_err)?;
        Ok(item)
    }

    async fn change_category(
        &self,
        id: CategoryId,
        change: CategoryChange,
        at: DateTime<Utc>,
    ) -> Result<ListCategory, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let version = next_version(&txn).await?;
        let mut sets: Vec<(&str, Value)> = Vec::new();
        if let Some(name) = &change.name {
            sets.push(("name", name.as_str().into()));
            sets.push(("key", name.key().into()));
        }
        if let Some(usage) = change.usage {
            sets.push(("type", usage.as_str().into()));
        }
        if let Some(active) = change.active {
            sets.push(("active", active.into()));
        }
        let name = change.name.as_ref().map_or("", Category::as_str);
        let row = update_item(
            &txn,
            "list_categories",
            CATEGORY_COLUMNS,
            id.as_uuid(),
            sets,
            version,
            at,
        )
        .await
        .map_err(|e| taken(e, "category", name))?
        .ok_or_else(|| HqError::ItemNotFound(format!("No category with id {id}")))?;
        let item = category(&row)?;
        txn.commit().await.map_err(db_err)?;
        Ok(item)
    }

    async fn add_channel(
        &self,
        name: ChannelName,
        kind: ChannelKind,
        at: DateTime<Utc>,
    ) -> Result<PaymentChannel, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let version = next_version(&txn).await?;
        let item = PaymentChannel {
            id: ChannelId::new_v4(),
            name,
            kind,
            active: true,
        };
        txn.execute_raw(stmt(
            txn.get_database_backend(),
            "INSERT INTO list_channels (id, name, key, kind, active, version, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![
                item.id.as_uuid().into(),
                item.name.as_str().into(),
                item.name.key().into(),
                item.kind.as_str().into(),
                true.into(),
                version.into(),
                at.trunc_subsecs(3).into(),
            ],
        ))
        .await
        .map_err(|e| taken(e, "payment channel", item.name.as_str()))?;
        txn.commit().await.map_err(db_err)?;
        Ok(item)
    }

    async fn change_channel(
        &self,
        id: ChannelId,
        change: ChannelChange,
        at: DateTime<Utc>,
    ) -> Result<PaymentChannel, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let version = next_version(&txn).await?;
        let mut sets: Vec<(&str, Value)> = Vec::new();
        if let Some(name) = &change.name {
            sets.push(("name", name.as_str().into()));
            sets.push(("key", name.key().into()));
        }
        if let Some(active) = change.active {
            sets.push(("active", active.into()));
        }
        let name = change.name.as_ref().map_or("", ChannelName::as_str);
        let row = update_item(
            &txn,
            "list_channels",
            CHANNEL_COLUMNS,
            id.as_uuid(),
            sets,
            version,
            at,
        )
        .await
        .map_err(|e| taken(e, "payment channel", name))?
        .ok_or_else(|| HqError::ItemNotFound(format!("No payment channel with id {id}")))?;
        let item = channel(&row)?;
        txn.commit().await.map_err(db_err)?;
        Ok(item)
    }

    async fn set_allow_new_categories(
        &self,
        allow: bool,
        _at: DateTime<Utc>,
    ) -> Result<i64, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let version = next_version(&txn).await?;
        txn.execute_raw(stmt(
            txn.get_database_backend(),
            "UPDATE list_state SET allow_new_categories = ? WHERE id = 1",
            vec![allow.into()],
        ))
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(version)
    }
}

//! [`BranchDirectory`] on SeaORM.

use std::time::Instant;

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, SubsecRound, Utc};
use kh_domain::{Branch, BranchCode, BranchId, BranchName, DeviceId, KeyHash};
use kh_ports::{BranchDirectory, Device, HqError, NewBranch, Refusals};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::HqStore;
use crate::entity::branch;
use kh_adapters_sql::{Failure, classify, stmt};

use crate::error::{corrupt, db_err};

fn to_domain(m: branch::Model) -> Result<Branch, HqError> {
    Ok(Branch {
        id: BranchId::from_uuid(m.id),
        code: BranchCode::parse(&m.code).map_err(|e| corrupt(e.to_string()))?,
        name: BranchName::parse(&m.name).map_err(|e| corrupt(e.to_string()))?,
        created_at: m.created_at,
        disabled_at: m.disabled_at,
        last_seen_at: m.last_seen_at,
    })
}

fn key_hash(m: &branch::Model) -> Result<KeyHash, HqError> {
    KeyHash::from_bytes(&m.api_key_hash).ok_or_else(|| corrupt("api_key_hash is not 32 bytes"))
}

/// Storage keeps milliseconds; truncating here keeps SQLite's text times sortable.
pub(crate) fn ms(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

impl HqStore {
    async fn branch_model(&self, id: BranchId) -> Result<branch::Model, HqError> {
        branch::Entity::find_by_id(id.as_uuid())
            .one(&self.writer)
            .await
            .map_err(db_err)?
            .ok_or(HqError::BranchNotFound(id))
    }
}

#[async_trait]
impl BranchDirectory for HqStore {
    async fn create(&self, new: NewBranch) -> Result<Branch, HqError> {
        let model = branch::ActiveModel {
            id: Set(new.id.as_uuid()),
            code: Set(new.code.as_str().to_owned()),
            name: Set(new.name.as_str().to_owned()),
            api_key_hash: Set(new.key_hash.as_bytes().to_vec()),
            created_at: Set(ms(new.created_at)),
            disabled_at: Set(None),
            last_seen_at: Set(None),
        };
        match model.insert(&self.writer).await {
            Ok(m) => to_domain(m),
            Err(e) if classify(&e) == Failure::Unique => {
                Err(HqError::CodeTaken(new.code.as_str().to_owned()))
            }
            Err(e) => Err(db_err(e)),
        }
    }

    async fn list(&self) -> Result<Vec<Branch>, HqError> {
        let models = branch::Entity::find()
            .order_by_asc(branch::Column::Code)
            .all(&self.reader)
            .await
            .map_err(db_err)?;
        models.into_iter().map(to_domain).collect()
    }

    async fn get(&self, id: BranchId) -> Result<Option<Branch>, HqError> {
        let model = branch::Entity::find_by_id(id.as_uuid())
            .one(&self.reader)
            .await
            .map_err(db_err)?;
        model.map(to_domain).transpose()
    }

    async fn find_by_code(&self, code: &BranchCode) -> Result<Option<Branch>, HqError> {
        let model = branch::Entity::find()
            .filter(branch::Column::Code.eq(code.as_str()))
            .one(&self.reader)
            .await
            .map_err(db_err)?;
        model.map(to_domain).transpose()
    }

    async fn find_by_key(&self, hash: &KeyHash) -> Result<Option<(Branch, KeyHash)>, HqError> {
        let now = Instant::now();
        if let Some(found) = self.keys.get(hash, now) {
            return Ok(Some(found));
        }
        let model = branch::Entity::find()
            .filter(branch::Column::ApiKeyHash.eq(hash.as_bytes().to_vec()))
            .one(&self.reader)
            .await
            .map_err(db_err)?;
        match model {
            Some(m) => {
                let stored = key_hash(&m)?;
                let branch = to_domain(m)?;
                self.keys.put(hash, &branch, &stored, now);
                Ok(Some((branch, stored)))
            }
            None => Ok(None),
        }
    }

    async fn replace_key(&self, id: BranchId, hash: KeyHash) -> Result<Branch, HqError> {
        let mut model: branch::ActiveModel = self.branch_model(id).await?.into();
        model.api_key_hash = Set(hash.as_bytes().to_vec());
        let updated = model.update(&self.writer).await.map_err(db_err)?;
        self.keys.forget(id);
        to_domain(updated)
    }

    async fn disable(&self, id: BranchId, at: DateTime<Utc>) -> Result<Branch, HqError> {
        let current = self.branch_model(id).await?;
        if current.disabled_at.is_some() {
            return to_domain(current);
        }
        let mut model: branch::ActiveModel = current.into();
        model.disabled_at = Set(Some(ms(at)));
        let updated = model.update(&self.writer).await.map_err(db_err)?;
        self.keys.forget(id);
        to_domain(updated)
    }

    async fn enable(&self, id: BranchId) -> Result<Branch, HqError> {
        let current = self.branch_model(id).await?;
        if current.disabled_at.is_none() {
            return to_domain(current);
        }
        let mut model: branch::ActiveModel = current.into();
        model.disabled_at = Set(None);
        let updated = model.update(&self.writer).await.map_err(db_err)?;
        self.keys.forget(id);
        to_domain(updated)
    }

    async fn touch(&self, id: BranchId, at: DateTime<Utc>) -> Result<(), HqError> {
        branch::Entity::update_many()
            .col_expr(
                branch::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(ms(at)),
            )
            .filter(branch::Column::Id.eq(id.as_uuid()))
            .exec(&self.writer)
            .await
            .map_err(db_err)?;
        self.keys.seen(id, ms(at));
        Ok(())
    }

    async fn touch_device(
        &self,
        branch: BranchId,
        device: DeviceId,
        at: DateTime<Utc>,
    ) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        let at = ms(at);
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO devices (branch_id, id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (branch_id, id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
                vec![
                    branch.as_uuid().into(),
                    device.as_uuid().into(),
                    at.into(),
                    at.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn devices(&self) -> Result<Vec<Device>, HqError> {
        let backend = self.reader.get_database_backend();
        let rows = self
            .reader
            .query_all_raw(stmt(
                backend,
                "SELECT branch_id, id, first_seen_at, last_seen_at, pull_quarantined FROM devices \
                 ORDER BY branch_id, first_seen_at, id",
                vec![],
            ))
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let branch: Uuid = row.try_get_by_index(0).map_err(db_err)?;
                let id: Uuid = row.try_get_by_index(1).map_err(db_err)?;
                Ok(Device {
                    branch: BranchId::from_uuid(branch),
                    id: DeviceId::from_uuid(id),
                    first_seen_at: row.try_get_by_index(2).map_err(db_err)?,
                    last_seen_at: row.try_get_by_index(3).map_err(db_err)?,
                    pull_quarantined: u64::try_from(
                        row.try_get_by_index::<i64>(4).map_err(db_err)?,
                    )
                    .unwrap_or(0),
                })
            })
            .collect()
    }

    async fn note_held(
        &self,
        branch: BranchId,
        device: DeviceId,
        held: u64,
        at: DateTime<Utc>,
    ) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        let at = ms(at);
        let held = i64::try_from(held).unwrap_or(i64::MAX);
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO devices (branch_id, id, first_seen_at, last_seen_at, pull_quarantined) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (branch_id, id) DO UPDATE SET \
                 last_seen_at = excluded.last_seen_at, pull_quarantined = excluded.pull_quarantined",
                vec![
                    branch.as_uuid().into(),
                    device.as_uuid().into(),
                    at.into(),
                    at.into(),
                    held.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn note_refusals(
        &self,
        branch: BranchId,
        count: u64,
        at: DateTime<Utc>,
    ) -> Result<(), HqError> {
        let backend = self.writer.get_database_backend();
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        self.writer
            .execute_raw(stmt(
                backend,
                "INSERT INTO branch_refusals (branch_id, refused_count, last_refused_at) \
                 VALUES (?, ?, ?) ON CONFLICT (branch_id) DO UPDATE SET \
                 refused_count = branch_refusals.refused_count + excluded.refused_count, \
                 last_refused_at = excluded.last_refused_at",
                vec![branch.as_uuid().into(), count.into(), ms(at).into()],
            ))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn refusals(&self) -> Result<Vec<Refusals>, HqError> {
        let backend = self.reader.get_database_backend();
        self.reader
            .query_all_raw(stmt(
                backend,
                "SELECT branch_id, refused_count, last_refused_at FROM branch_refusals",
                vec![],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let branch: Uuid = r.try_get_by_index(0).map_err(db_err)?;
                let count: i64 = r.try_get_by_index(1).map_err(db_err)?;
                Ok(Refusals {
                    branch: BranchId::from_uuid(branch),
                    count: u64::try_from(count).map_err(|_| corrupt("negative refusal count"))?,
                    last_at: r.try_get_by_index(2).map_err(db_err)?,
                })
            })
            .collect()
    }
}

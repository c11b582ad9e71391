//! [`HqBranchStaff`]: branch staff (DESIGN 10.2), versioned with HQ's lists so they travel to
//! their branch with the lists' changes.

use async_trait::async_trait;
use kh_adapters_sql::{Failure, classify, stmt};
use kh_domain::chrono::{DateTime, SubsecRound, Utc};
use kh_domain::{BranchId, PinHash, StaffId, StaffMember, StaffName, StaffRole};
use kh_ports::{HqBranchStaff, HqError, StaffChange};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::error::{corrupt, db_err};
use crate::lists::{next_version, update_item};

const COLUMNS: &str = "id, name, role, active, pin_hash, version, branch_id";

fn member(row: &QueryResult) -> Result<(BranchId, StaffMember), HqError> {
    let bad = |e: kh_domain::FieldError| corrupt(format!("staff member: {e}"));
    let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
    let name: String = row.try_get_by_index(1).map_err(db_err)?;
    let role: String = row.try_get_by_index(2).map_err(db_err)?;
    let branch: Uuid = row.try_get_by_index(6).map_err(db_err)?;
    Ok((
        BranchId::from_uuid(branch),
        StaffMember {
            id: StaffId::from_uuid(id),
            name: StaffName::parse(&name).map_err(bad)?,
            role: StaffRole::parse("role", &role).map_err(bad)?,
            active: row.try_get_by_index(3).map_err(db_err)?,
            pin_hash: PinHash::new(row.try_get_by_index(4).map_err(db_err)?),
            version: row.try_get_by_index(5).map_err(db_err)?,
        },
    ))
}

/// A write that broke the branch's unique names.
fn taken(e: DbErr, name: &str) -> HqError {
    match classify(&e) {
        Failure::Unique => HqError::NameTaken(format!(
            "This branch already has a staff member named {name:?} (names compare without case \
             and extra spaces); choose another name"
        )),
        _ => db_err(e),
    }
}

#[async_trait]
impl HqBranchStaff for HqStore {
    async fn staff_since(&self, branch: BranchId, since: i64) -> Result<Vec<StaffMember>, HqError> {
        let backend = self.reader.get_database_backend();
        self.reader
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT {COLUMNS} FROM branch_staff WHERE branch_id = ? AND version > ? \
                     ORDER BY key, id"
                ),
                vec![branch.as_uuid().into(), since.into()],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(|row| member(row).map(|(_, m)| m))
            .collect()
    }

    async fn add_staff(
        &self,
        branch: BranchId,
        name: StaffName,
        role: StaffRole,
        pin_hash: PinHash,
        at: DateTime<Utc>,
    ) -> Result<StaffMember, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let backend = txn.get_database_backend();
        let known = txn
            .query_one_raw(stmt(
                backend,
                "SELECT 1 FROM branches WHERE id = ?",
                vec![branch.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?;
        if known.is_none() {
            return Err(HqError::BranchNotFound(branch));
        }
        let version = next_version(&txn).await?;
        let at = at.trunc_subsecs(3);
        let member = StaffMember {
            id: StaffId::new_v4(),
            name,
            role,
            active: true,
            pin_hash,
            version,
        };
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO branch_staff (id, branch_id, name, key, role, pin_hash, active, version, \
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                member.id.as_uuid().into(),
                branch.as_uuid().into(),
                member.name.as_str().into(),
                member.name.key().into(),
                member.role.as_str().into(),
                member.pin_hash.as_str().into(),
                true.into(),
                version.into(),
                at.into(),
                at.into(),
            ],
        ))
        .await
        .map_err(|e| taken(e, member.name.as_str()))?;
        txn.commit().await.map_err(db_err)?;
        Ok(member)
    }

    async fn change_staff(
        &self,
        id: StaffId,
        change: StaffChange,
        at: DateTime<Utc>,
    ) -> Result<(BranchId, StaffMember), HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let version = next_version(&txn).await?;
        let mut sets: Vec<(&str, Value)> = Vec::new();
        if let Some(name) = &change.name {
            sets.push(("name", name.as_str().into()));
            sets.push(("key", name.key().into()));
        }
        if let Some(role) = change.role {
            sets.push(("role", role.as_str().into()));
        }
        if let Some(active) = change.active {
            sets.push(("active", active.into()));
        }
        if let Some(hash) = &change.pin_hash {
            sets.push(("pin_hash", hash.as_str().into()));
        }
        let name = change.name.as_ref().map_or("", StaffName::as_str);
        let row = update_item(
            &txn,
            "branch_staff",
            COLUMNS,
            id.as_uuid(),
            sets,
            version,
            at,
        )
        .await
        .map_err(|e| taken(e, name))?
        .ok_or_else(|| HqError::ItemNotFound(format!("No staff member with id {id}")))?;
        let changed = member(&row)?;
        txn.commit().await.map_err(db_err)?;
        Ok(changed)
    }
}

//! [`ShiftStore`] for the branch database: the PC's cash shifts (DESIGN 11). The schema keeps
//! at most one shift open and refuses any change to a closed one, whatever the code does.

use async_trait::async_trait;
use kh_adapters_sql::{Failure, classify};
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    CashCount, ChannelId, Shift, ShiftClose, ShiftId, ShiftNote, StaffRef, expected_drawer,
};
use kh_ports::{LedgerError, Page, ShiftCash, ShiftMark, ShiftPart, ShiftStore};
use sea_orm::{ConnectionTrait, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use super::BranchStore;
use crate::error::{corrupt, db_err};
use crate::sql::stmt;
use crate::time::{from_ms, to_ms};

const COLUMNS: &str = "id, opened_at, opened_by, opened_by_name, opening_float, suggested_float, \
     opening_note, closed_at, closed_by, closed_by_name, counts, expected, counted, close_note, \
     approved_by, approved_by_name";

fn person(row: &QueryResult, at: usize) -> Result<Option<StaffRef>, LedgerError> {
    StaffRef::stored(
        row.try_get_by_index(at).map_err(db_err)?,
        row.try_get_by_index(at + 1).map_err(db_err)?,
    )
    .map_err(corrupt)
}

fn note(raw: Option<String>) -> Result<Option<ShiftNote>, LedgerError> {
    raw.map(|n| ShiftNote::parse(&n).map_err(|e| corrupt(e.to_string())))
        .transpose()
}

fn person_values(who: Option<&StaffRef>) -> [Value; 2] {
    [
        who.map(|w| w.id.as_uuid()).into(),
        who.map(|w| w.name.as_str().to_owned()).into(),
    ]
}

fn decode(row: &QueryResult) -> Result<Shift, LedgerError> {
    let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
    let closed_at: Option<i64> = row.try_get_by_index(7).map_err(db_err)?;
    let close = match closed_at {
        None => None,
        Some(at) => {
            let counts: String = row.try_get_by_index(10).map_err(db_err)?;
            let pieces: Vec<i64> = counts
                .split(',')
                .map(|p| p.parse::<i64>().map_err(|e| corrupt(e.to_string())))
                .collect::<Result<_, _>>()?;
            Some(ShiftClose {
                closed_at: from_ms(at)?,
                closed_by: person(row, 8)?,
                counts: CashCount::from_pieces(&pieces)
                    .ok_or_else(|| corrupt("a shift's count is not a count"))?,
                expected: row.try_get_by_index(11).map_err(db_err)?,
                counted: row.try_get_by_index(12).map_err(db_err)?,
                note: note(row.try_get_by_index(13).map_err(db_err)?)?,
                approved_by: person(row, 14)?,
            })
        }
    };
    Ok(Shift {
        id: ShiftId::from_uuid(id),
        opened_at: from_ms(row.try_get_by_index(1).map_err(db_err)?)?,
        opened_by: person(row, 2)?,
        opening_float: row.try_get_by_index(4).map_err(db_err)?,
        suggested_float: row.try_get_by_index(5).map_err(db_err)?,
        opening_note: note(row.try_get_by_index(6).map_err(db_err)?)?,
        close,
    })
}

impl BranchStore {
    async fn one_shift(&self, sql: &str, values: Vec<Value>) -> Result<Option<Shift>, LedgerError> {
        self.db
            .reader
            .query_one_raw(stmt(sql, values))
            .await
            .map_err(db_err)?
            .map(|r| decode(&r))
            .transpose()
    }
}

/// The cash a shift's entries moved through `cash_channels`, read on `conn`.
async fn cash_of(
    conn: &impl ConnectionTrait,
    id: ShiftId,
    cash_channels: &[ChannelId],
) -> Result<ShiftCash, LedgerError> {
    let marks = vec!["?"; cash_channels.len().max(1)].join(", ");
    let mut values: Vec<Value> = cash_channels.iter().map(|c| c.as_uuid().into()).collect();
    if values.is_empty() {
        // No cash channel at all: nothing moved the drawer (a NULL matches no id).
        values.push(Value::Bytes(None));
    }
    let cash_values = values.clone();
    values.extend(cash_values);
    values.push(id.as_uuid().into());
    let row = conn
        .query_one_raw(stmt(
            format!(
                "SELECT \
                 COALESCE(SUM(CASE WHEN type = 'IN' AND channel_id IN ({marks}) THEN amount END), 0), \
                 COALESCE(SUM(CASE WHEN type = 'OUT' AND channel_id IN ({marks}) THEN amount END), 0), \
                 COUNT(*) FROM transactions WHERE shift_id = ?"
            ),
            values,
        ))
        .await
        .map_err(db_err)?
        .ok_or_else(|| corrupt("a sum answered no row"))?;
    let entries: i64 = row.try_get_by_index(2).map_err(db_err)?;
    Ok(ShiftCash {
        cash_in: row.try_get_by_index(0).map_err(db_err)?,
        cash_out: row.try_get_by_index(1).map_err(db_err)?,
        entries: u64::try_from(entries).unwrap_or(0),
    })
}

#[async_trait]
impl ShiftStore for BranchStore {
    async fn open_shift(&self, shift: Shift) -> Result<Shift, LedgerError> {
        let mut values: Vec<Value> = vec![shift.id.as_uuid().into(), to_ms(shift.opened_at).into()];
        values.extend(person_values(shift.opened_by.as_ref()));
        values.extend([
            shift.opening_float.into(),
            shift.suggested_float.into(),
            shift
                .opening_note
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .into(),
        ]);
        let inserted = self
            .db
            .writer
            .execute_raw(stmt(
                "INSERT INTO shifts (id, opened_at, opened_by, opened_by_name, opening_float, \
                 suggested_float, opening_note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            ))
            .await;
        match inserted {
            Ok(_) => Ok(shift),
            Err(e) if classify(&e) == Failure::Unique => Err(LedgerError::ShiftConflict(
                "A shift is already open on this PC; close it first".into(),
            )),
            Err(e) => Err(db_err(e)),
        }
    }

    async fn open_shift_now(&self) -> Result<Option<Shift>, LedgerError> {
        self.one_shift(
            &format!("SELECT {COLUMNS} FROM shifts WHERE closed_at IS NULL"),
            vec![],
        )
        .await
    }

    async fn shift(&self, id: ShiftId) -> Result<Option<Shift>, LedgerError> {
        self.one_shift(
            &format!("SELECT {COLUMNS} FROM shifts WHERE id = ?"),
            vec![id.as_uuid().into()],
        )
        .await
    }

    async fn last_counted(&self) -> Result<Option<i64>, LedgerError> {
        let row = self
            .db
            .reader
            .query_one_raw(stmt(
                "SELECT counted FROM shifts WHERE closed_at IS NOT NULL \
                 ORDER BY closed_at DESC LIMIT 1",
                vec![],
            ))
            .await
            .map_err(db_err)?;
        row.map(|r| r.try_get_by_index::<i64>(0).map_err(db_err))
            .transpose()
    }

    async fn shift_cash(
        &self,
        id: ShiftId,
        cash_channels: &[ChannelId],
    ) -> Result<ShiftCash, LedgerError> {
        cash_of(&self.db.reader, id, cash_channels).await
    }

    async fn close_shift(
        &self,
        id: ShiftId,
        close: ShiftClose,
        cash_channels: &[ChannelId],
    ) -> Result<Shift, LedgerError> {
        let counts = close
            .counts
            .pieces()
            .map(|(_, n)| n.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let mut values: Vec<Value> = vec![to_ms(close.closed_at).into()];
        values.extend(person_values(close.closed_by.as_ref()));
        values.extend([
            counts.into(),
            close.expected.into(),
            close.counted.into(),
            close.note.as_ref().map(|n| n.as_str().to_owned()).into(),
        ]);
        values.extend(person_values(close.approved_by.as_ref()));
        values.push(id.as_uuid().into());
        // On the one writer, in one transaction: no entry can join the shift between the check
        // of its drawer and the close.
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        let float = txn
            .query_one_raw(stmt(
                "SELECT opening_float FROM shifts WHERE id = ? AND closed_at IS NULL",
                vec![id.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?
            .map(|r| r.try_get_by_index::<i64>(0).map_err(db_err))
            .transpose()?;
        if let Some(float) = float {
            let cash = cash_of(&txn, id, cash_channels).await?;
            if close.expected != expected_drawer(float, cash.cash_in, cash.cash_out) {
                return Err(LedgerError::ShiftConflict(
                    "An entry was recorded while the drawer was being counted, so the book \
                     expects another amount now: look at the shift again and close it once more"
                        .into(),
                ));
            }
        }
        let updated = txn
            .query_one_raw(stmt(
                format!(
                    "UPDATE shifts SET closed_at = ?, closed_by = ?, closed_by_name = ?, counts = ?, \
                     expected = ?, counted = ?, close_note = ?, approved_by = ?, \
                     approved_by_name = ? WHERE id = ? AND closed_at IS NULL RETURNING {COLUMNS}"
                ),
                values,
            ))
            .await
            .map_err(db_err)?;
        let Some(row) = updated else {
            return Err(LedgerError::ShiftConflict(format!(
                "Shift {id} is not open on this PC (already closed, or unknown); a close is never changed"
            )));
        };
        let shift = decode(&row)?;
        txn.commit().await.map_err(db_err)?;
        Ok(shift)
    }

    async fn shifts(&self, page: u32, limit: u32) -> Result<Page<Shift>, LedgerError> {
        let conn = &self.db.reader;
        let total: i64 = conn
            .query_one_raw(stmt("SELECT COUNT(*) FROM shifts", vec![]))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("COUNT answered no row"))?
            .try_get_by_index(0)
            .map_err(db_err)?;
        let offset = i64::from(page.saturating_sub(1)) * i64::from(limit);
        let items = conn
            .query_all_raw(stmt(
                format!(
                    "SELECT {COLUMNS} FROM shifts ORDER BY opened_at DESC, id LIMIT ? OFFSET ?"
                ),
                vec![i64::from(limit).into(), offset.into()],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(decode)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            page,
            limit,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn unsent_shifts(&self, limit: u32) -> Result<Vec<Shift>, LedgerError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.db
            .reader
            .query_all_raw(stmt(
                format!(
                    "SELECT {columns} FROM shifts s \
                     WHERE NOT EXISTS (SELECT 1 FROM shift_sync y WHERE y.shift_id = s.id AND y.part = 'open') \
                     OR (s.closed_at IS NOT NULL AND NOT EXISTS \
                         (SELECT 1 FROM shift_sync y WHERE y.shift_id = s.id AND y.part = 'close')) \
                     ORDER BY s.opened_at, s.id LIMIT ?"
                ),
                vec![i64::from(limit).into()],
            ))
            .await
            .map_err(db_err)?
            .iter()
            .map(decode)
            .collect()
    }

    async fn mark_shifts(&self, marks: &[ShiftMark], at: DateTime<Utc>) -> Result<(), LedgerError> {
        if marks.is_empty() {
            return Ok(());
        }
        let txn = self.db.writer.begin().await.map_err(db_err)?;
        for mark in marks {
            let part = match mark.part {
                ShiftPart::Open => "open",
                ShiftPart::Close => "close",
            };
            txn.execute_raw(stmt(
                "INSERT INTO shift_sync (shift_id, part, answered_at, refused_code, refused_reason) \
                 SELECT id, ?, ?, ?, ? FROM shifts WHERE id = ? \
                 ON CONFLICT (shift_id, part) DO NOTHING",
                vec![
                    part.into(),
                    to_ms(at).into(),
                    mark.refusal.as_ref().map(|r| r.code.clone()).into(),
                    mark.refusal.as_ref().map(|r| r.reason.clone()).into(),
                    mark.id.as_uuid().into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }
}

//! [`HqShifts`]: the branches' cash shifts as their PCs report them. A shift is stored once;
//! its close is written once, into a row still open, and never changed after.

use async_trait::async_trait;
use kh_adapters_sql::{date_conditions, stmt, where_clause};
use kh_domain::chrono::{DateTime, NaiveDate, Utc};
use kh_domain::{
    BranchId, CashCount, DateRange, DeviceId, RejectionCode, Shift, ShiftClose, ShiftId, ShiftNote,
    StaffRef,
};
use kh_ports::{HqError, HqShift, HqShifts, Page, ShiftCash, ShiftTotals, ShiftVerdict, ShiftView};
use sea_orm::{ConnectionTrait, DatabaseTransaction, QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::HqStore;
use crate::directory::ms;
use crate::error::{corrupt, db_err};

const COLUMNS: &str = "id, branch_id, device_id, business_date, opened_at, opened_by, \
     opened_by_name, opening_float, suggested_float, opening_note, cash_in, cash_out, entries, \
     closed_at, closed_by, closed_by_name, counts, expected, counted, close_note, approved_by, \
     approved_by_name, received_at";

/// The close's columns, in `COLUMNS` order from `closed_at`.
const CLOSE_SET: &str = "closed_at = ?, closed_by = ?, closed_by_name = ?, counts = ?, \
     expected = ?, counted = ?, close_note = ?, approved_by = ?, approved_by_name = ?";

fn person(row: &QueryResult, at: usize) -> Result<Option<StaffRef>, HqError> {
    StaffRef::stored(
        row.try_get_by_index(at).map_err(db_err)?,
        row.try_get_by_index(at + 1).map_err(db_err)?,
    )
    .map_err(|e| corrupt(format!("shift: {e}")))
}

fn note(raw: Option<String>) -> Result<Option<ShiftNote>, HqError> {
    raw.map(|n| ShiftNote::parse(&n).map_err(|e| corrupt(format!("shift: {e}"))))
        .transpose()
}

fn count(raw: &str) -> Result<CashCount, HqError> {
    let pieces: Vec<i64> = raw
        .split(',')
        .map(|p| {
            p.parse::<i64>()
                .map_err(|e| corrupt(format!("shift count: {e}")))
        })
        .collect::<Result<_, _>>()?;
    CashCount::from_pieces(&pieces).ok_or_else(|| corrupt("a shift's count is not a count"))
}

fn count_text(counts: &CashCount) -> String {
    counts
        .pieces()
        .map(|(_, n)| n.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn person_values(who: Option<&StaffRef>) -> [Value; 2] {
    [
        who.map(|w| w.id.as_uuid()).into(),
        who.map(|w| w.name.as_str().to_owned()).into(),
    ]
}

fn close_values(close: &ShiftClose) -> Vec<Value> {
    let mut values: Vec<Value> = vec![ms(close.closed_at).into()];
    values.extend(person_values(close.closed_by.as_ref()));
    values.extend([
        count_text(&close.counts).into(),
        close.expected.into(),
        close.counted.into(),
        close.note.as_ref().map(|n| n.as_str().to_owned()).into(),
    ]);
    values.extend(person_values(close.approved_by.as_ref()));
    values
}

fn decode(row: &QueryResult) -> Result<HqShift, HqError> {
    let get_i64 = |i: usize| row.try_get_by_index::<i64>(i).map_err(db_err);
    let id: Uuid = row.try_get_by_index(0).map_err(db_err)?;
    let branch: Uuid = row.try_get_by_index(1).map_err(db_err)?;
    let device: Option<Uuid> = row.try_get_by_index(2).map_err(db_err)?;
    let business_date: NaiveDate = row.try_get_by_index(3).map_err(db_err)?;
    let closed_at: Option<DateTime<Utc>> = row.try_get_by_index(13).map_err(db_err)?;
    let close = match closed_at {
        None => None,
        Some(closed_at) => {
            let counts: String = row.try_get_by_index(16).map_err(db_err)?;
            Some(ShiftClose {
                closed_at,
                closed_by: person(row, 14)?,
                counts: count(&counts)?,
                expected: get_i64(17)?,
                counted: get_i64(18)?,
                note: note(row.try_get_by_index(19).map_err(db_err)?)?,
                approved_by: person(row, 20)?,
            })
        }
    };
    let shift = Shift {
        id: ShiftId::from_uuid(id),
        opened_at: row.try_get_by_index(4).map_err(db_err)?,
        opened_by: person(row, 5)?,
        opening_float: get_i64(7)?,
        suggested_float: row.try_get_by_index(8).map_err(db_err)?,
        opening_note: note(row.try_get_by_index(9).map_err(db_err)?)?,
        close,
    };
    let cash = ShiftCash {
        cash_in: get_i64(10)?,
        cash_out: get_i64(11)?,
        entries: u64::try_from(get_i64(12)?).map_err(|e| corrupt(e.to_string()))?,
    };
    Ok(HqShift {
        branch: BranchId::from_uuid(branch),
        device: device.map(DeviceId::from_uuid),
        business_date,
        view: ShiftView::new(shift, cash),
        received_at: row.try_get_by_index(22).map_err(db_err)?,
    })
}

/// Writes a close (and the shift's final figures) into a row still open.
async fn write_close(
    txn: &DatabaseTransaction,
    id: ShiftId,
    close: &ShiftClose,
    cash: &ShiftCash,
    at: DateTime<Utc>,
) -> Result<(), HqError> {
    let mut values = close_values(close);
    values.extend([
        cash.cash_in.into(),
        cash.cash_out.into(),
        i64::try_from(cash.entries).unwrap_or(i64::MAX).into(),
        ms(at).into(),
        id.as_uuid().into(),
    ]);
    let written = txn
        .execute_raw(stmt(
            txn.get_database_backend(),
            &format!(
                "UPDATE shifts SET {CLOSE_SET}, cash_in = ?, cash_out = ?, entries = ?, \
                 received_at = ? WHERE id = ? AND closed_at IS NULL"
            ),
            values,
        ))
        .await
        .map_err(db_err)?;
    if written.rows_affected() == 1 {
        Ok(())
    } else {
        // Closed meanwhile by another request: the branch sends again and is judged then.
        Err(HqError::Unavailable(
            "the shift was closed by another request at the same time; retry".into(),
        ))
    }
}

/// The same opening (everything but the close), compared as stored (milliseconds).
fn same_opening(stored: &Shift, sent: &Shift) -> bool {
    let opened = |s: &Shift| Shift {
        opened_at: ms(s.opened_at),
        close: None,
        ..s.clone()
    };
    opened(stored) == opened(sent)
}

/// The same close, compared as stored (milliseconds).
fn same_close(stored: &ShiftClose, sent: &ShiftClose) -> bool {
    let mut sent = sent.clone();
    sent.closed_at = ms(sent.closed_at);
    *stored == sent
}

impl HqStore {
    async fn put_one(
        &self,
        txn: &DatabaseTransaction,
        branch: BranchId,
        device: Option<DeviceId>,
        view: &ShiftView,
        at: DateTime<Utc>,
    ) -> Result<ShiftVerdict, HqError> {
        let backend = txn.get_database_backend();
        let shift = &view.shift;
        let stored = txn
            .query_one_raw(stmt(
                backend,
                &format!("SELECT {COLUMNS} FROM shifts WHERE id = ?"),
                vec![shift.id.as_uuid().into()],
            ))
            .await
            .map_err(db_err)?
            .map(|r| decode(&r))
            .transpose()?;
        let Some(stored) = stored else {
            let mut values: Vec<Value> = vec![
                shift.id.as_uuid().into(),
                branch.as_uuid().into(),
                device.map(|d| d.as_uuid()).into(),
                self.calendar.date_of(shift.opened_at).into(),
                ms(shift.opened_at).into(),
            ];
            values.extend(person_values(shift.opened_by.as_ref()));
            values.extend([
                shift.opening_float.into(),
                shift.suggested_float.into(),
                shift
                    .opening_note
                    .as_ref()
                    .map(|n| n.as_str().to_owned())
                    .into(),
                view.cash.cash_in.into(),
                view.cash.cash_out.into(),
                i64::try_from(view.cash.entries).unwrap_or(i64::MAX).into(),
            ]);
            values.push(ms(at).into());
            txn.execute_raw(stmt(
                backend,
                "INSERT INTO shifts (id, branch_id, device_id, business_date, opened_at, \
                 opened_by, opened_by_name, opening_float, suggested_float, opening_note, \
                 cash_in, cash_out, entries, received_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            ))
            .await
            .map_err(db_err)?;
            if let Some(close) = &shift.close {
                write_close(txn, shift.id, close, &view.cash, at).await?;
            }
            return Ok(ShiftVerdict::Stored);
        };
        if stored.branch != branch {
            return Ok(ShiftVerdict::Refused(
                RejectionCode::Conflict,
                "a shift with this id belongs to another branch".into(),
            ));
        }
        // An opening never changes: a report of this shift with another float (or opener, or
        // time) would put a close beside figures it was not counted against.
        if !same_opening(&stored.view.shift, shift) {
            return Ok(ShiftVerdict::Refused(
                RejectionCode::Conflict,
                "HQ already holds a different opening of this shift; an opening never changes"
                    .into(),
            ));
        }
        match (&stored.view.shift.close, &shift.close) {
            (_, None) => Ok(ShiftVerdict::Duplicate),
            (Some(held), Some(sent)) if same_close(held, sent) => Ok(ShiftVerdict::Duplicate),
            (Some(_), Some(_)) => Ok(ShiftVerdict::Refused(
                RejectionCode::Conflict,
                "HQ already holds a different close of this shift; a close never changes".into(),
            )),
            (None, Some(close)) => {
                if close.closed_at < stored.view.shift.opened_at {
                    return Ok(ShiftVerdict::Refused(
                        RejectionCode::ValidationFailed,
                        "close.closed_at: must not be before the shift's opened_at".into(),
                    ));
                }
                write_close(txn, shift.id, close, &view.cash, at).await?;
                Ok(ShiftVerdict::Stored)
            }
        }
    }

    async fn some_shifts(&self, sql: &str, values: Vec<Value>) -> Result<Vec<HqShift>, HqError> {
        let backend = self.reader.get_database_backend();
        self.reader
            .query_all_raw(stmt(backend, sql, values))
            .await
            .map_err(db_err)?
            .iter()
            .map(decode)
            .collect()
    }
}

#[async_trait]
impl HqShifts for HqStore {
    async fn put_shifts(
        &self,
        branch: BranchId,
        device: Option<DeviceId>,
        shifts: Vec<ShiftView>,
        at: DateTime<Utc>,
    ) -> Result<Vec<(ShiftId, ShiftVerdict)>, HqError> {
        let txn = self.writer.begin().await.map_err(db_err)?;
        let mut verdicts = Vec::with_capacity(shifts.len());
        for view in &shifts {
            let verdict = self.put_one(&txn, branch, device, view, at).await?;
            verdicts.push((view.shift.id, verdict));
        }
        txn.commit().await.map_err(db_err)?;
        Ok(verdicts)
    }

    async fn branch_shifts(
        &self,
        branch: BranchId,
        range: DateRange,
        page: u32,
        limit: u32,
    ) -> Result<Page<HqShift>, HqError> {
        let backend = self.reader.get_database_backend();
        let mut conditions = vec!["branch_id = ?".to_owned()];
        let mut values: Vec<Value> = vec![branch.as_uuid().into()];
        date_conditions(
            "business_date",
            (range.from, range.to),
            &mut conditions,
            &mut values,
        );
        let filter = where_clause(&conditions);
        let total: i64 = self
            .reader
            .query_one_raw(stmt(
                backend,
                &format!("SELECT COUNT(*) FROM shifts{filter}"),
                values.clone(),
            ))
            .await
            .map_err(db_err)?
            .ok_or_else(|| corrupt("COUNT answered no row"))?
            .try_get_by_index(0)
            .map_err(db_err)?;
        let offset = i64::from(page.saturating_sub(1)) * i64::from(limit);
        values.extend([i64::from(limit).into(), offset.into()]);
        let items = self
            .some_shifts(
                &format!(
                    "SELECT {COLUMNS} FROM shifts{filter} \
                     ORDER BY business_date DESC, opened_at DESC, id LIMIT ? OFFSET ?"
                ),
                values,
            )
            .await?;
        Ok(Page {
            items,
            page,
            limit,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn shift_totals(
        &self,
        range: DateRange,
    ) -> Result<Vec<(BranchId, ShiftTotals)>, HqError> {
        let backend = self.reader.get_database_backend();
        let mut conditions = vec!["closed_at IS NOT NULL".to_owned()];
        let mut values: Vec<Value> = Vec::new();
        date_conditions(
            "business_date",
            (range.from, range.to),
            &mut conditions,
            &mut values,
        );
        let rows = self
            .reader
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT branch_id, COUNT(*), \
                     CAST(COALESCE(SUM(counted - expected), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN counted < expected THEN counted - expected ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN counted > expected THEN counted - expected ELSE 0 END), 0) AS BIGINT) \
                     FROM shifts{} GROUP BY branch_id",
                    where_clause(&conditions)
                ),
                values,
            ))
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let branch: Uuid = row.try_get_by_index(0).map_err(db_err)?;
                let closed: i64 = row.try_get_by_index(1).map_err(db_err)?;
                Ok((
                    BranchId::from_uuid(branch),
                    ShiftTotals {
                        closed: u64::try_from(closed).unwrap_or(0),
                        difference: row.try_get_by_index(2).map_err(db_err)?,
                        short: row.try_get_by_index(3).map_err(db_err)?,
                        over: row.try_get_by_index(4).map_err(db_err)?,
                    },
                ))
            })
            .collect()
    }

    async fn open_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<HqShift>, HqError> {
        self.some_shifts(
            &format!(
                "SELECT {COLUMNS} FROM shifts WHERE closed_at IS NULL AND opened_at < ? \
                 ORDER BY opened_at, id LIMIT ?"
            ),
            vec![ms(before).into(), i64::from(limit).into()],
        )
        .await
    }

    async fn differences_over(
        &self,
        threshold: i64,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<HqShift>, HqError> {
        self.some_shifts(
            &format!(
                "SELECT {COLUMNS} FROM shifts WHERE closed_at IS NOT NULL AND closed_at >= ? \
                 AND (counted - expected > ? OR expected - counted > ?) \
                 ORDER BY closed_at DESC, id LIMIT ?"
            ),
            vec![
                ms(since).into(),
                threshold.into(),
                threshold.into(),
                i64::from(limit).into(),
            ],
        )
        .await
    }
}

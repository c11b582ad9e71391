//! HQ on one SQLite file: the shared SeaORM HQ store over this crate's connection settings.

use std::sync::Arc;

use kh_adapters_hq::HqStore;
use kh_domain::BusinessCalendar;

use crate::{OpenError, SqliteDb, SqliteTarget};

/// Opens an HQ database file (not migrated: call [`HqStore::migrate`]). The store keeps the
/// file's lock for as long as it lives, so two HQ processes cannot share one SQLite file.
pub async fn open_hq(
    target: &SqliteTarget,
    calendar: BusinessCalendar,
) -> Result<HqStore, OpenError> {
    let db = SqliteDb::open(target).await?;
    let (writer, reader) = (db.writer.clone(), db.reader.clone());
    Ok(HqStore::new(writer, reader, calendar, Some(Arc::new(db))))
}

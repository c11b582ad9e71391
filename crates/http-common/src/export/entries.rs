//! Entries as rows of an export: the history on a PC, every branch's entries at HQ, a
//! branch's sheet in the monthly pack.

use std::collections::HashMap;

use kh_domain::{BranchId, BusinessCalendar, StaffRef, Transaction, TxType};

use super::Language;
use super::table::{Cell, Column};

/// The columns of an exported entry (HQ's start with the branch).
const ENTRY_COLUMNS: [Column; 13] = [
    Column::new("Tanggal usaha", "Business date", 12.0),
    Column::new("Tanggal", "Date", 12.0),
    Column::new("Jam", "Time", 7.0),
    Column::new("Jenis", "Type", 13.0),
    Column::new("Kategori", "Category", 22.0),
    Column::new("Jumlah (Rp)", "Amount (Rp)", 16.0),
    Column::new("Metode pembayaran", "Payment method", 20.0),
    Column::new("Keterangan", "Description", 40.0),
    Column::new("Dicatat oleh", "Recorded by", 18.0),
    Column::new("Disetujui oleh", "Approved by", 18.0),
    Column::new("Status", "Status", 12.0),
    Column::new("ID", "ID", 38.0),
    Column::new("Membatalkan ID", "Voids ID", 38.0),
];

const BRANCH_COLUMN: Column = Column::new("Cabang", "Branch", 10.0);

/// The columns of exported entries; `with_branch` puts the branch's code first (HQ).
pub fn entry_columns(with_branch: bool) -> Vec<Column> {
    let mut columns = Vec::with_capacity(ENTRY_COLUMNS.len() + 1);
    if with_branch {
        columns.push(BRANCH_COLUMN);
    }
    columns.extend(ENTRY_COLUMNS);
    columns
}

/// The type of an entry, in the export's language.
pub fn type_word(tx_type: TxType, language: Language) -> &'static str {
    match (tx_type, language) {
        (TxType::In, Language::Id) => "Pemasukan",
        (TxType::Out, Language::Id) => "Pengeluaran",
        (TxType::In, Language::En) => "Income",
        (TxType::Out, Language::En) => "Expense",
    }
}

/// Whether an entry is a void or was voided, in the export's language.
fn status_word(t: &Transaction, language: Language) -> &'static str {
    let en = language == Language::En;
    match (t.reverses_id.is_some(), t.voided_by.is_some(), en) {
        (true, _, false) => "Pembatalan",
        (true, _, true) => "Void",
        (false, true, false) => "Dibatalkan",
        (false, true, true) => "Voided",
        (false, false, _) => "",
    }
}

/// A person's name, or nothing.
pub fn name_of(who: Option<&StaffRef>) -> Cell {
    who.map_or(Cell::Empty, |w| Cell::text(w.name.as_str()))
}

/// Entries as rows: times in `calendar`'s zone, words in `language`, and (at HQ) the branch's
/// code from `codes`.
#[derive(Debug, Clone)]
pub struct EntryRows {
    calendar: BusinessCalendar,
    language: Language,
    codes: Option<HashMap<BranchId, String>>,
}

impl EntryRows {
    /// Rows of a branch's own book.
    pub fn branch(calendar: BusinessCalendar, language: Language) -> Self {
        Self {
            calendar,
            language,
            codes: None,
        }
    }

    /// Rows across branches, each starting with its branch's code.
    pub fn hq(
        calendar: BusinessCalendar,
        language: Language,
        codes: HashMap<BranchId, String>,
    ) -> Self {
        Self {
            calendar,
            language,
            codes: Some(codes),
        }
    }

    /// The columns these rows fill.
    pub fn columns(&self) -> Vec<Column> {
        entry_columns(self.codes.is_some())
    }

    /// One row per entry, in the order given.
    pub fn rows(&self, entries: &[Transaction]) -> Vec<Vec<Cell>> {
        entries.iter().map(|t| self.row(t)).collect()
    }

    fn row(&self, t: &Transaction) -> Vec<Cell> {
        let local = self.calendar.local(t.occurred_at);
        let mut row = Vec::with_capacity(ENTRY_COLUMNS.len() + 1);
        if let Some(codes) = &self.codes {
            let code = t
                .branch_id
                .and_then(|b| codes.get(&b).cloned())
                .unwrap_or_default();
            row.push(Cell::text(code));
        }
        row.extend([
            Cell::Date(self.calendar.date_of(t.occurred_at)),
            Cell::Date(local.date()),
            Cell::Time(local.time()),
            Cell::text(type_word(t.tx_type, self.language)),
            Cell::text(t.category.as_str()),
            Cell::Money(t.amount.rupiah()),
            Cell::text(t.channel.name.as_str()),
            Cell::text(t.description.as_str()),
            name_of(t.recorded_by.as_ref()),
            name_of(t.approved_by.as_ref()),
            Cell::text(status_word(t, self.language)),
            Cell::text(t.id.to_string()),
            t.reverses_id
                .map_or(Cell::Empty, |r| Cell::text(r.to_string())),
        ]);
        row
    }
}

/// A future of the next page of entries after a cursor.
pub type NextEntries =
    futures_core::future::BoxFuture<'static, Result<Vec<kh_domain::Transaction>, String>>;

/// Entries read a page at a time after a keyset cursor: from a first page already read (so a
/// store that cannot answer is an error envelope before the file starts), or from the start.
pub struct EntryPages<F> {
    pending: Option<Vec<Transaction>>,
    cursor: Option<kh_ports::ListCursor>,
    finished: bool,
    fetch: F,
    rows: EntryRows,
}

impl<F> EntryPages<F>
where
    F: FnMut(Option<kh_ports::ListCursor>) -> NextEntries + Send,
{
    /// Pages that start with `first`; `fetch` reads the page after a cursor.
    pub fn new(first: Vec<Transaction>, rows: EntryRows, fetch: F) -> Self {
        Self {
            cursor: first.last().map(kh_ports::ListCursor::after),
            pending: Some(first),
            finished: false,
            fetch,
            rows,
        }
    }

    /// Pages read from the first entry on, when they are asked for.
    pub fn lazy(rows: EntryRows, fetch: F) -> Self {
        Self {
            pending: None,
            cursor: None,
            finished: false,
            fetch,
            rows,
        }
    }
}

#[async_trait::async_trait]
impl<F> super::Pages for EntryPages<F>
where
    F: FnMut(Option<kh_ports::ListCursor>) -> NextEntries + Send,
{
    async fn next_page(&mut self) -> Result<Option<Vec<Vec<Cell>>>, String> {
        let page = match self.pending.take() {
            Some(page) => page,
            None if self.finished => return Ok(None),
            None => (self.fetch)(self.cursor).await?,
        };
        if page.is_empty() {
            self.finished = true;
            return Ok(None);
        }
        self.cursor = page.last().map(kh_ports::ListCursor::after);
        Ok(Some(self.rows.rows(&page)))
    }
}

//! Exports (DESIGN 13): every row a list or report holds, as a file an accountant opens. CSV
//! is UTF-8 with a byte-order mark (so spreadsheets read the rupiah sign and names right), `;`
//! between fields by default (Indonesian spreadsheets use the decimal comma), amounts as plain
//! integers, dates and times in the branch's zone, a header row in the chosen language. XLSX
//! has numeric rupiah cells, dates as dates, a frozen header with a filter. A report also comes
//! as an A4 PDF ([`pdf`]).
//!
//! Rows stream: a [`Pages`] source hands them over a page at a time and [`spawn_file`] writes
//! each page as it comes, so memory stays flat however many rows.

pub mod entries;
pub mod pdf;
pub mod reports;
pub mod table;

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use kh_domain::{FieldError, Rule};

pub use entries::{EntryPages, EntryRows, NextEntries, entry_columns, type_word};
pub use table::{Cell, Column, CsvTable, MAX_XLSX_ROWS, SheetName, XlsxBook, XlsxError};

use crate::ApiError;

/// Rows read from the ledger per step of an export.
pub const EXPORT_PAGE: u32 = 1_000;

/// The file an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma- or semicolon-separated text.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// A printable A4 report.
    Pdf,
}

impl ExportFormat {
    /// The spelling in `format=`.
    pub fn as_str(self) -> &'static str {
        self.extension()
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
        }
    }

    /// The answer's content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pdf => "application/pdf",
        }
    }
}

/// Lists and tables: CSV or XLSX.
pub const TABLE_FORMATS: &[ExportFormat] = &[ExportFormat::Csv, ExportFormat::Xlsx];
/// Reports that also print: CSV, XLSX or PDF.
pub const REPORT_FORMATS: &[ExportFormat] =
    &[ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Pdf];
/// A single report: PDF only.
pub const PDF_ONLY: &[ExportFormat] = &[ExportFormat::Pdf];

/// The language of an export's header row and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Bahasa Indonesia (the default).
    Id,
    /// English.
    En,
}

impl Language {
    /// Picks the Indonesian or the English words.
    pub fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Id => id,
            Self::En => en,
        }
    }
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    /// The file's format.
    pub format: ExportFormat,
    /// The CSV field separator (`;` or `,`).
    pub separator: u8,
    /// The header's language.
    pub language: Language,
}

impl ExportOptions {
    /// Reads `format` (the first of `allowed` by default), `sep` (`;` by default, or `,`) and
    /// `lang` (`id` by default, or `en`), each named when wrong.
    pub fn parse(
        format: Option<&str>,
        sep: Option<&str>,
        lang: Option<&str>,
        allowed: &[ExportFormat],
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let format = match format {
            None => allowed.first().copied(),
            Some(given) => {
                let found = allowed.iter().copied().find(|f| f.as_str() == given);
                if found.is_none() {
                    let names: Vec<&str> = allowed.iter().map(|f| f.as_str()).collect();
                    errors.push(
                        FieldError::new("format", format!("must be one of: {}", names.join(", ")))
                            .rule(Rule::OneOf),
                    );
                }
                found
            }
        };
        let separator = match sep {
            None | Some(";") => Some(b';'),
            Some(",") => Some(b','),
            Some(_) => {
                errors.push(FieldError::new("sep", "must be ; or ,").rule(Rule::OneOf));
                None
            }
        };
        let language = match lang {
            None | Some("id") => Some(Language::Id),
            Some("en") => Some(Language::En),
            Some(_) => {
                errors.push(FieldError::new("lang", "must be id or en").rule(Rule::OneOf));
                None
            }
        };
        match (format, separator, language) {
            (Some(format), Some(separator), Some(language)) if errors.is_empty() => Ok(Self {
                format,
                separator,
                language,
            }),
            _ => Err(errors),
        }
    }
}

/// A source of rows, a page at a time.
#[async_trait]
pub trait Pages: Send {
    /// The next rows, or `None` when there are no more. An error stops the file (it is logged
    /// and the download is cut, never a file that looks whole).
    async fn next_page(&mut self) -> Result<Option<Vec<Vec<Cell>>>, String>;
}

/// Rows already in hand (a report: a few hundred rows at most), handed over at once.
pub struct Ready(Option<Vec<Vec<Cell>>>);

impl Ready {
    /// These rows.
    pub fn new(rows: Vec<Vec<Cell>>) -> Self {
        Self(Some(rows))
    }
}

#[async_trait]
impl Pages for Ready {
    async fn next_page(&mut self) -> Result<Option<Vec<Vec<Cell>>>, String> {
        Ok(self.0.take())
    }
}

/// A page already read (to answer an error before the file starts), then the rest.
pub struct Prepend<P> {
    first: Option<Vec<Vec<Cell>>>,
    rest: P,
}

impl<P: Pages> Prepend<P> {
    /// `first`, then what `rest` gives.
    pub fn new(first: Option<Vec<Vec<Cell>>>, rest: P) -> Self {
        Self { first, rest }
    }
}

#[async_trait]
impl<P: Pages> Pages for Prepend<P> {
    async fn next_page(&mut self) -> Result<Option<Vec<Vec<Cell>>>, String> {
        match self.first.take() {
            Some(page) => Ok(Some(page)),
            None => self.rest.next_page().await,
        }
    }
}

/// A future of a numbered page: its rows (after any filter) and how many items the store gave.
pub type NextNumbered =
    futures_core::future::BoxFuture<'static, Result<(Vec<Vec<Cell>>, usize), String>>;

/// Rows read by page number (`fetch(page, size)`), for stores that page by number: a page
/// shorter than `size` is the last; a page whose items are all filtered out is skipped.
pub struct NumberedPages<F> {
    next: u32,
    size: u32,
    done: bool,
    fetch: F,
}

impl<F> NumberedPages<F>
where
    F: FnMut(u32, u32) -> NextNumbered + Send,
{
    /// Pages of `size` from page `next` on (`done` when the page before was the last).
    pub fn from_page(next: u32, size: u32, done: bool, fetch: F) -> Self {
        Self {
            next,
            size,
            done,
            fetch,
        }
    }
}

#[async_trait]
impl<F> Pages for NumberedPages<F>
where
    F: FnMut(u32, u32) -> NextNumbered + Send,
{
    async fn next_page(&mut self) -> Result<Option<Vec<Vec<Cell>>>, String> {
        while !self.done {
            let (rows, fetched) = (self.fetch)(self.next, self.size).await?;
            self.next += 1;
            self.done = fetched < usize::try_from(self.size).unwrap_or(usize::MAX);
            if !rows.is_empty() {
                return Ok(Some(rows));
            }
        }
        Ok(None)
    }
}

/// The items an export has already written, for lists read by page number, newest first (a
/// PC's shifts, a branch's shifts at HQ). An item added on top while the export reads (a shift
/// opened, or one a PC pushes) moves every later item one place down, so the next page starts
/// with one already written. Items are never removed, so none is skipped: dropping the repeats
/// is enough for the file to list each item once. Cheap to clone; the clones share one set.
#[derive(Debug)]
pub struct Seen<K>(Arc<Mutex<HashSet<K>>>);

impl<K> Clone for Seen<K> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K> Default for Seen<K> {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(HashSet::new())))
    }
}

impl<K: Eq + Hash> Seen<K> {
    /// `items` without those already kept (by `key`), remembering the rest.
    pub fn keep<T>(&self, items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
        // Only ids live here: after a panic elsewhere the set is still right.
        let mut seen = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        items
            .into_iter()
            .filter(|item| seen.insert(key(item)))
            .collect()
    }
}

/// Query of the export of a dated list (`from`, `to`): at most [`kh_ports::services::MAX_EXPORT_DAYS`]
/// when both are given.
#[derive(Debug, serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DatedExportParams {
    from: Option<String>,
    to: Option<String>,
}

impl DatedExportParams {
    /// The business dates asked for, each date named when wrong, a range too long refused.
    pub fn range(&self) -> Result<kh_domain::DateRange, ApiError> {
        let range = kh_domain::DateRange::parse(self.from.as_deref(), self.to.as_deref())
            .map_err(|e| ApiError::from(kh_domain::ValidationErrors(e)))?;
        kh_ports::services::check_export_range(&range)?;
        Ok(range)
    }
}

/// `from`, `to` and how a table's file is written, for the document.
pub struct DatedExportQuery;

impl utoipa::IntoParams for DatedExportQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut params = crate::range_params();
        params.extend(crate::export_params(TABLE_FORMATS));
        params
    }
}

/// One sheet of a file: its name, columns, rows, and how many of the last rows are totals
/// (bold in XLSX).
pub struct Sheet {
    /// The sheet's name (XLSX).
    pub name: SheetName,
    /// Its columns.
    pub columns: Vec<Column>,
    /// Its rows.
    pub pages: Box<dyn Pages>,
    /// Rows at the end that are totals.
    pub total_rows: usize,
}

impl Sheet {
    /// A sheet of rows already in hand.
    pub fn ready(name: SheetName, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Self {
        Self {
            name,
            columns,
            pages: Box::new(Ready::new(rows)),
            total_rows: 0,
        }
    }

    /// The last `n` rows are totals.
    #[must_use]
    pub fn with_totals(mut self, n: usize) -> Self {
        self.total_rows = n;
        self
    }
}

/// Where a file's bytes go.
type Sink = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// Writes `sheet` as CSV, a page at a time as the rows come.
async fn write_csv(mut sheet: Sheet, csv: CsvTable, what: &'static str, tx: Sink) {
    let mut rows = 0_usize;
    if tx.send(Ok(csv.header(&sheet.columns))).await.is_err() {
        return;
    }
    loop {
        match sheet.pages.next_page().await {
            Ok(None) => break,
            Ok(Some(page)) => {
                rows += page.len();
                if tx.send(Ok(csv.rows(&page))).await.is_err() {
                    // The client went away.
                    return;
                }
            }
            Err(why) => {
                tracing::error!(why, rows, what, "export stopped");
                let _ = tx.send(Err(std::io::Error::other(why))).await;
                return;
            }
        }
    }
    tracing::info!(rows, what, "exported as CSV");
}

/// Writes the workbook (its rows go to temporary files as they come), then sends the file.
/// Runs on a blocking thread: the workbook is written by synchronous code.
fn write_xlsx(
    handle: &tokio::runtime::Handle,
    sheets: Vec<Sheet>,
    language: Language,
    what: &'static str,
    tx: &Sink,
) {
    use std::io::{Read, Seek};

    let written = (|| -> Result<usize, String> {
        let mut book = XlsxBook::new(language);
        let mut rows = 0_usize;
        for mut sheet in sheets {
            book.sheet(&sheet.name, &sheet.columns)
                .map_err(|e| e.to_string())?;
            // The totals come last: hold back the last page until the next one shows it is
            // not the last.
            let mut held: Option<Vec<Vec<Cell>>> = None;
            while let Some(page) = handle.block_on(sheet.pages.next_page())? {
                rows += page.len();
                if let Some(before) = held.replace(page) {
                    book.rows(&before, 0).map_err(|e| e.to_string())?;
                }
            }
            if let Some(last) = held {
                book.rows(&last, sheet.total_rows)
                    .map_err(|e| e.to_string())?;
            }
        }
        let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
        book.finish(&mut file).map_err(|e| e.to_string())?;
        file.rewind().map_err(|e| e.to_string())?;
        let mut buf = vec![0_u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                return Ok(rows);
            }
            if tx.blocking_send(Ok(buf[..n].to_vec())).is_err() {
                // The client went away.
                return Ok(rows);
            }
        }
    })();
    match written {
        Ok(rows) => tracing::info!(rows, what, "exported as XLSX"),
        Err(why) => {
            tracing::error!(why, what, "XLSX export stopped");
            let _ = tx.blocking_send(Err(std::io::Error::other(why)));
        }
    }
}

/// Starts writing `sheets` as `options` say (CSV takes the first sheet; PDF is not a table
/// and is refused here) and answers with the file named `name` as it is written. `what` names
/// the export in the log.
pub fn spawn_file(
    options: ExportOptions,
    mut sheets: Vec<Sheet>,
    name: &str,
    what: &'static str,
) -> Result<axum::response::Response, ApiError> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    match options.format {
        ExportFormat::Csv => {
            if sheets.is_empty() {
                return Err(ApiError::new(
                    crate::ErrorCode::Internal,
                    "a CSV export without a sheet",
                ));
            }
            let sheet = sheets.swap_remove(0);
            let csv = CsvTable::new(options.separator, options.language);
            tokio::spawn(write_csv(sheet, csv, what, tx));
        }
        ExportFormat::Xlsx => {
            let handle = tokio::runtime::Handle::current();
            let language = options.language;
            tokio::task::spawn_blocking(move || {
                write_xlsx(&handle, sheets, language, what, &tx);
            });
        }
        ExportFormat::Pdf => {
            return Err(ApiError::new(
                crate::ErrorCode::Internal,
                "a table export asked for a PDF",
            ));
        }
    }
    attachment(options.format, name, streamed(rx))
}

/// A report as an A4 PDF named `name`, its pages numbered in `language`.
pub fn pdf_file(
    report: &pdf::PdfReport,
    language: Language,
    name: &str,
) -> Result<axum::response::Response, ApiError> {
    let bytes = pdf::render(report, language.pick("Halaman", "Page"));
    attachment(ExportFormat::Pdf, name, axum::body::Body::from(bytes))
}

/// An answer carrying a file named `name` for the browser to save.
pub fn attachment(
    format: ExportFormat,
    name: &str,
    body: axum::body::Body,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    axum::response::Response::builder()
        .header(header::CONTENT_TYPE, format.content_type())
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))
}

/// The chunks of a file as they are written, for an answer's body.
pub type Chunks = tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>;

struct ChunkStream(Chunks);

impl futures_core::Stream for ChunkStream {
    type Item = Result<Vec<u8>, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// A body that sends the chunks as they come; an `Err` chunk cuts the answer off (the client
/// sees a failed download, never a file that looks whole).
pub fn streamed(chunks: Chunks) -> axum::body::Body {
    axum::body::Body::from_stream(ChunkStream(chunks))
}

/// A file name for what an export holds: `riwayat_JKT-01_2025-12-01_2025-12-31.csv`, with
/// `semua` (all) for an open end.
pub fn file_name(
    what: &str,
    branch: Option<&str>,
    range: &kh_domain::DateRange,
    ext: &str,
) -> String {
    let date = |d: Option<kh_domain::chrono::NaiveDate>| {
        d.map_or_else(|| "semua".to_owned(), |d| d.to_string())
    };
    let branch: String = branch
        .unwrap_or("cabang")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!(
        "{what}_{branch}_{}_{}.{ext}",
        date(range.from),
        date(range.to)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages of a newest-first list read by number while a new item lands on top after the
    /// first page (as a shift opened mid-export does): every item is written exactly once.
    #[tokio::test]
    async fn a_list_growing_on_top_while_it_is_read_is_written_once() {
        let list = Arc::new(Mutex::new(vec![6_i64, 5, 4, 3, 2, 1]));
        let seen: Seen<i64> = Seen::default();
        let mut pages = NumberedPages::from_page(1, 3, false, move |page, size| {
            let (list, seen) = (Arc::clone(&list), seen.clone());
            Box::pin(async move {
                let mut items = list.lock().unwrap();
                let from = usize::try_from((page - 1) * size).unwrap();
                let listed: Vec<i64> = items.iter().skip(from).take(3).copied().collect();
                if page == 1 {
                    items.insert(0, 7);
                }
                let fetched = listed.len();
                let rows = seen
                    .keep(listed, |n| *n)
                    .into_iter()
                    .map(|n| vec![Cell::Money(n)])
                    .collect();
                Ok((rows, fetched))
            })
        });
        let mut written = Vec::new();
        while let Some(rows) = pages.next_page().await.unwrap() {
            written.extend(rows.into_iter().map(|row| match row[0] {
                Cell::Money(n) => n,
                _ => unreachable!(),
            }));
        }
        // Page 2 read [4, 3, 2] after 7 arrived: 4 again, which the file must not repeat.
        assert_eq!(written, [6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn options_default_to_semicolons_in_indonesian_and_name_what_is_wrong() {
        let o = ExportOptions::parse(None, None, None, TABLE_FORMATS).unwrap();
        assert_eq!(
            (o.format, o.separator, o.language),
            (ExportFormat::Csv, b';', Language::Id)
        );
        let pdf = ExportOptions::parse(None, None, Some("en"), PDF_ONLY).unwrap();
        assert_eq!(
            (pdf.format, pdf.language),
            (ExportFormat::Pdf, Language::En)
        );
        let fields: Vec<&str> =
            ExportOptions::parse(Some("pdf"), Some("|"), Some("fr"), TABLE_FORMATS)
                .unwrap_err()
                .iter()
                .map(|e| e.field)
                .collect();
        assert_eq!(fields, ["format", "sep", "lang"]);
    }

    #[test]
    fn a_file_is_named_for_what_it_holds() {
        let range = kh_domain::DateRange::parse(Some("2025-12-01"), Some("2025-12-31")).unwrap();
        assert_eq!(
            file_name("riwayat", Some("JKT-01"), &range, "csv"),
            "riwayat_JKT-01_2025-12-01_2025-12-31.csv"
        );
        assert_eq!(
            file_name("riwayat", None, &kh_domain::DateRange::ALL, "csv"),
            "riwayat_cabang_semua_semua.csv"
        );
    }
}

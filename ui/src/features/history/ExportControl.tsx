import type { ExportChoice } from '@/api/types';
import { ExportControl as FileExportControl } from '@/components/ExportControl';
import { useI18n } from '@/i18n';
import { toTotalsQuery, type HistoryFilters } from './filters';

const FORMATS: ExportChoice[] = [';', ',', 'xlsx'];

/**
 * "Ekspor" of the history: every entry the list's filters match (all its pages, not just the
 * one shown) as a CSV file (`;` or `,`) or an Excel workbook, `GET /transactions/export`.
 * Its test ids are the plain `export-format`, `export-start`, `export-progress`,
 * `export-cancel` and `export-error`.
 */
export function ExportControl({ filters }: { filters: HistoryFilters }) {
  const { m } = useI18n();
  return (
    <FileExportControl
      className="ml-auto"
      path="/transactions/export"
      query={{ ...toTotalsQuery(filters) }}
      formats={FORMATS}
      fallbackName="riwayat"
      title={m.export.historyTitle}
    />
  );
}

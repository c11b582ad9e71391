import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { DateRange } from '../../api/types';
import { ExportControl } from '../../components/ExportControl';
import { useI18n } from '../../i18n';

/** Every entry of every branch in the period (`GET /transactions/export` without a branch), as
 * one file. */
export function EntriesExport({ range }: { range: DateRange }) {
  const { m } = useI18n();
  return (
    <Card>
      <CardHeader>
        <CardTitle>{m.exports.entriesTitle}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-sm text-muted-foreground">{m.exports.entriesBody}</p>
        <ExportControl
          testid="entries-export-"
          label={m.exports.entries}
          hint={m.exports.entriesHint}
          path="/transactions/export"
          filters={{ from: range.from, to: range.to }}
          baseName="transaksi_semua"
        />
      </CardContent>
    </Card>
  );
}

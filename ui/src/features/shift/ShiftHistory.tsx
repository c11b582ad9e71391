import { History } from 'lucide-react';
import { useState } from 'react';
import type { ExportChoice } from '@/api/types';
import { ExportControl } from '@/components/ExportControl';
import { Pagination } from '@/components/Pagination';
import { ErrorState, Loading } from '@/components/States';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { useI18n } from '@/i18n';
import { formatRupiah } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { ShiftReportView } from './ShiftReportView';
import { useShifts, type ShiftReport } from './useShift';

const FORMATS: ExportChoice[] = [';', ',', 'xlsx'];

/** The PC's shifts, newest first, each opening its report (to read again, print or download
 * as a PDF), and the export of all of them (CSV or XLSX). An open shift on a blind close has
 * no expected amount yet: a dash. */
export function ShiftHistory() {
  const { m, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<ShiftReport | null>(null);
  const shifts = useShifts(page);
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)} data-testid="shift-history-open">
        <History aria-hidden />
        {m.shift.history}
      </Button>
      <Dialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) setChosen(null);
        }}
      >
        <DialogContent
          closeLabel={m.common.close}
          className="max-h-[95vh] max-w-3xl overflow-y-auto"
          data-testid="shift-history"
        >
          <DialogHeader>
            <DialogTitle>{chosen ? m.shift.report : m.shift.history}</DialogTitle>
          </DialogHeader>
          {chosen ? (
            <div className="grid gap-3">
              <ShiftReportView report={chosen} />
              <Button variant="outline" onClick={() => setChosen(null)}>
                {m.lock.back}
              </Button>
            </div>
          ) : shifts.isPending ? (
            <Loading />
          ) : shifts.isError ? (
            <ErrorState error={shifts.error} onRetry={() => void shifts.refetch()} />
          ) : shifts.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">{m.shift.noShifts}</p>
          ) : (
            <div className="grid gap-3">
              {/* The list has no filter: the export is of every shift on this PC (no from/to). */}
              <div className="flex flex-wrap items-center justify-end gap-2">
                <ExportControl
                  path="/shifts/export"
                  query={{}}
                  formats={FORMATS}
                  fallbackName="shift"
                  testIdPrefix="shift-"
                  what={m.shift.listWhat}
                  title={m.shift.exportTitle}
                />
              </div>
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <caption className="sr-only">{m.shift.history}</caption>
                  <thead className="text-left text-xs uppercase text-muted-foreground">
                    <tr>
                      <th className="px-2 py-1">{m.shift.openedAt}</th>
                      <th className="px-2 py-1">{m.shift.by}</th>
                      <th className="px-2 py-1 text-right">{m.shift.expected}</th>
                      <th className="px-2 py-1 text-right">{m.shift.counted}</th>
                      <th className="px-2 py-1 text-right">{m.shift.difference}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shifts.data.items.map((s) => (
                      <tr key={s.id} className="border-t" data-testid="shift-row">
                        <td className="px-2 py-1">
                          <button
                            type="button"
                            className="text-left underline-offset-2 hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                            onClick={() => setChosen(s)}
                          >
                            {formatDateTime(s.opened_at, locale)}
                          </button>
                        </td>
                        <td className="px-2 py-1">{s.opened_by_name ?? '—'}</td>
                        <td className="px-2 py-1 text-right tabular">
                          {s.expected === null ? m.common.none : formatRupiah(s.expected)}
                        </td>
                        <td className="px-2 py-1 text-right tabular">
                          {s.counted === null ? m.shift.stillOpen : formatRupiah(s.counted)}
                        </td>
                        <td
                          className={
                            (s.difference ?? 0) < 0
                              ? 'px-2 py-1 text-right tabular text-expense'
                              : 'px-2 py-1 text-right tabular'
                          }
                        >
                          {s.difference === null ? '—' : formatRupiah(s.difference)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {shifts.data.total_pages > 1 ? (
                <Pagination page={page} pages={shifts.data.total_pages} total={shifts.data.total} onPage={setPage} />
              ) : null}
            </div>
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}

import { FileDown, Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useExportDoneToast, useExportFailureText } from '@/components/ExportControl';
import { PrintControl } from '@/components/PrintControl';
import { FailureAlert } from '@/components/FailureAlert';
import { Button } from '@/components/ui/button';
import { useFileExport } from '@/hooks/useFileExport';
import { fill, useI18n } from '@/i18n';
import { formatRupiah } from '@/lib/money';
import { formatNumericDateTime } from '@/lib/time';
import { DENOMINATIONS, type ShiftReport } from './useShift';

function Line({ label, children, strong }: { label: string; children: ReactNode; strong?: boolean }) {
  return (
    <div className={strong ? 'flex justify-between gap-4 font-semibold' : 'flex justify-between gap-4'}>
      <dt>{label}</dt>
      <dd className="tabular text-right">{children}</dd>
    </div>
  );
}

/** The report's content; `print` is the copy the printer gets (no test ids, no screen reader
 * duplicate). */
function ReportBody({ report, print }: { report: ShiftReport; print?: boolean }) {
  const { m, locale } = useI18n();
  const diff = report.difference ?? 0;
  const id = (name: string) => (print ? undefined : name);
  // An open shift on a blind close has no figures until its count.
  const money = (amount: number | null) => (amount === null ? m.common.none : formatRupiah(amount));
  return (
    <section
      className="shift-report grid gap-2 text-sm"
      data-testid={id('shift-report')}
      aria-label={m.shift.report}
      aria-hidden={print ? true : undefined}
    >
      <h3 className="text-base font-semibold">{m.shift.report}</h3>
      <dl className="grid gap-1">
        <Line label={m.shift.openedAt}>
          {formatNumericDateTime(report.opened_at, locale)}
          {report.opened_by_name ? ` · ${report.opened_by_name}` : ''}
        </Line>
        {report.closed_at ? (
          <Line label={m.shift.closedAt}>
            {formatNumericDateTime(report.closed_at, locale)}
            {report.closed_by_name ? ` · ${report.closed_by_name}` : ''}
          </Line>
        ) : null}
        <Line label={m.shift.float}>{formatRupiah(report.opening_float)}</Line>
        {report.opening_difference !== 0 ? (
          <Line label={m.shift.openingDifference}>{formatRupiah(report.opening_difference)}</Line>
        ) : null}
        <Line label={m.shift.cashIn}>{money(report.cash_in)}</Line>
        <Line label={m.shift.cashOut}>{money(report.cash_out === null ? null : -report.cash_out)}</Line>
        <Line label={m.shift.entries}>{report.entries}</Line>
        <Line label={m.shift.expected} strong>
          <span data-testid={id('report-expected')}>{money(report.expected)}</span>
        </Line>
      </dl>
      {report.counts ? (
        <table className="w-full text-xs">
          <caption className="sr-only">{m.shift.countTitle}</caption>
          <tbody>
            {DENOMINATIONS.filter((d) => (report.counts?.[d.key] ?? 0) > 0).map((d) => (
              <tr key={d.key}>
                <td>{fill(d.coin ? m.shift.coin : m.shift.note, { value: formatRupiah(d.value) })}</td>
                <td className="tabular text-right">× {report.counts?.[d.key]}</td>
                <td className="tabular text-right">{formatRupiah(d.value * (report.counts?.[d.key] ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.counted !== null ? (
        <dl className="grid gap-1 border-t pt-2">
          <Line label={m.shift.counted} strong>
            <span data-testid={id('report-counted')}>{formatRupiah(report.counted)}</span>
          </Line>
          <Line label={m.shift.difference} strong>
            <span
              data-testid={id('report-difference')}
              className={diff < 0 ? 'text-expense' : diff > 0 ? 'text-income' : ''}
            >
              {formatRupiah(diff)} {diff < 0 ? `(${m.shift.short})` : diff > 0 ? `(${m.shift.over})` : ''}
            </span>
          </Line>
          {report.close_note ? <Line label={m.shift.noteLabel}>{report.close_note}</Line> : null}
          {report.approved_by_name ? <Line label={m.history.approvedBy}>{report.approved_by_name}</Line> : null}
        </dl>
      ) : null}
    </section>
  );
}

/** "PDF": the shift's report as the server writes it (`GET /shifts/{id}/export?format=pdf`),
 * in the app's language, downloaded; a failure is said below it and nothing is saved. */
function PdfButton({ report }: { report: ShiftReport }) {
  const { m, lang } = useI18n();
  const failureText = useExportFailureText();
  const done = useExportDoneToast();
  const { state, start, dismiss } = useFileExport(
    `/shifts/${encodeURIComponent(report.id)}/export`,
    `shift_${report.id.slice(0, 8)}`,
  );
  const running = state.status === 'running';
  return (
    <>
      {/* Not disabled while the file comes: the keyboard's focus stays on it. */}
      <Button
        variant="outline"
        aria-disabled={running || undefined}
        title={m.shift.pdfWhat}
        aria-label={running ? m.shift.pdfDownloading : m.shift.pdfWhat}
        onClick={() => {
          if (running) return;
          void start({ format: 'pdf', lang }).then((file) => {
            if (file) done(file);
          });
        }}
        data-testid="shift-pdf"
      >
        {running ? <Loader2 className="animate-spin" aria-hidden /> : <FileDown aria-hidden />}
        {running ? m.shift.pdfDownloading : m.shift.pdf}
      </Button>
      {state.status === 'failed' ? (
        <FailureAlert
          className="basis-full"
          testId="shift-pdf-error"
          title={m.shift.pdfFailed}
          description={failureText(state.error)}
          closeLabel={m.common.close}
          onDismiss={dismiss}
        />
      ) : null}
    </>
  );
}

/** The shift report (Z-report): the float, the cash the entries moved, the count by
 * denomination, the difference and who did what. "PDF" downloads the server's PDF of it;
 * "Cetak" prints only a copy of it, placed at the top of the page, on A4 or an 80 mm receipt
 * printer's roll (the choice remembered). */
export function ShiftReportView({ report }: { report: ShiftReport }) {
  const { m } = useI18n();
  return (
    <div className="grid gap-3">
      <ReportBody report={report} />
      <div className="flex flex-wrap items-center gap-2">
        <PdfButton report={report} />
        <PrintControl
          className="ml-auto"
          target="shift"
          what={m.shift.reportWhat}
          testId="shift-print"
          paperTestId="shift-print-paper"
        />
      </div>
      {createPortal(
        <div className="print-only" data-print="shift">
          <ReportBody report={report} print />
        </div>,
        document.body,
      )}
    </div>
  );
}

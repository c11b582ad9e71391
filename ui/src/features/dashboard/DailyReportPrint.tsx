import { useEffect, useState } from 'react';
import { createPortal, flushSync } from 'react-dom';
import type { Branch, DailyRow, DateRange, Summary } from '@/api/types';
import { fill, formatCount, useI18n } from '@/i18n';
import { formatRupiah } from '@/lib/money';
import { formatNumericDate, formatNumericDateTime } from '@/lib/time';

/** The moment the page is printed (taken again as the print dialog opens). */
function usePrintedAt(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const before = () => flushSync(() => setNow(new Date()));
    window.addEventListener('beforeprint', before);
    return () => window.removeEventListener('beforeprint', before);
  }, []);
  return now;
}

/** A period in words: `01/12/2025 – 31/12/2025`, open ends named, or "Semua waktu". */
function usePeriodText(range: DateRange): string {
  const { m } = useI18n();
  if (!range.from && !range.to) return m.period.all;
  const from = range.from ? formatNumericDate(range.from) : m.dashboard.fromStart;
  const to = range.to ? formatNumericDate(range.to) : m.dashboard.untilNow;
  return `${from} – ${to}`;
}

/**
 * The daily report as the printer gets it (Beranda's "Cetak"): the branch, the period and the
 * payment method, the period's totals and the balance at its end, then one row per business
 * date with its money in, out and closing balance. Only on paper (`.print-only`, placed at the
 * end of <body>); the print stylesheet lays it out for A4 or an 80 mm receipt.
 */
export function DailyReportPrint({
  range,
  channelName,
  branch,
  period,
  balance,
  rows,
}: {
  range: DateRange;
  /** The payment method the figures go through, or null for all of them. */
  channelName: string | null;
  branch: Branch | null | undefined;
  period: Summary | undefined;
  balance: Summary | undefined;
  rows: DailyRow[] | undefined;
}) {
  const { m, locale } = useI18n();
  const printedAt = usePrintedAt();
  const periodText = usePeriodText(range);
  const days = rows ?? [];
  const totalIn = days.reduce((sum, d) => sum + d.total_in, 0);
  const totalOut = days.reduce((sum, d) => sum + d.total_out, 0);
  return createPortal(
    <div className="print-only" data-print="daily" aria-hidden>
      <article className="print-report">
        <header className="print-head">
          <h2>
            {m.dashboard.reportTitle}
            {branch ? ` · ${branch.code} ${branch.name}` : ''}
          </h2>
          <p>
            {m.dashboard.period}: {periodText}
          </p>
          <p>
            {m.common.channel}: {channelName ?? m.common.allChannels}
          </p>
          <p>{fill(m.print.printedAt, { at: formatNumericDateTime(printedAt.toISOString(), locale) })}</p>
        </header>
        <dl className="print-summary">
          <div>
            <dt>{m.dashboard.balance}</dt>
            <dd>{balance ? formatRupiah(balance.balance) : m.common.none}</dd>
          </div>
          <div>
            <dt>{m.dashboard.totalIn}</dt>
            <dd>{period ? formatRupiah(period.total_in) : m.common.none}</dd>
          </div>
          <div>
            <dt>{m.dashboard.totalOut}</dt>
            <dd>{period ? formatRupiah(period.total_out) : m.common.none}</dd>
          </div>
          <div>
            <dt>{m.dashboard.count}</dt>
            <dd>{period ? formatCount(period.transaction_count) : m.common.none}</dd>
          </div>
        </dl>
        {days.length === 0 ? (
          <p>{m.dashboard.noData}</p>
        ) : (
          <table className="print-table">
            <caption>{m.dashboard.daily}</caption>
            <thead>
              <tr>
                <th scope="col">{m.dashboard.date}</th>
                <th scope="col">{m.common.in}</th>
                <th scope="col">{m.common.out}</th>
                <th scope="col">{m.dashboard.closingBalance}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{formatNumericDate(d.date)}</th>
                  <td>{formatRupiah(d.total_in)}</td>
                  <td>{formatRupiah(d.total_out)}</td>
                  <td>{formatRupiah(d.balance)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{m.dashboard.total}</th>
                <td>{formatRupiah(totalIn)}</td>
                <td>{formatRupiah(totalOut)}</td>
                <td>{formatRupiah(days[days.length - 1]!.balance)}</td>
              </tr>
            </tfoot>
          </table>
        )}
      </article>
    </div>,
    document.body,
  );
}

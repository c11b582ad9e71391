import type { ReactNode } from 'react';
import { formatDayMonthYear } from '@/components/DateInput';
import { Money } from '@/components/Money';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { formatCount } from '@/i18n/core';
import { formatRupiah } from '@/lib/money';
import { formatNumericDateTime } from '@/lib/time';
import type { HqShift } from '../../api/types';
import { Difference } from '../../components/Difference';
import { fill, useI18n } from '../../i18n';
import { countLines, countTotal } from './denominations';
import { ShiftStatusBadge } from './ShiftStatusBadge';

/** The pieces counted per denomination, each with its subtotal, and their total. */
function CountTable({ counts }: { counts: Record<string, number> }) {
  const { m } = useI18n();
  const lines = countLines(counts);
  const label = (kind: 'note' | 'coin' | null, value: number | null, key: string) =>
    kind && value !== null
      ? fill(kind === 'note' ? m.shifts.noteValue : m.shifts.coinValue, { value: formatRupiah(value) })
      : key;
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm" data-testid="shift-counts">
        <caption className="mb-1 text-left text-sm font-medium">{m.shifts.counts}</caption>
        <thead>
          <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
            <th scope="col" className="px-2 py-1 font-medium">
              {m.shifts.denomination}
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              {m.shifts.pieces}
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              {m.shifts.subtotal}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.key} className="border-b" data-testid="count-line">
              <th scope="row" className="px-2 py-1 text-left font-normal">
                {label(l.kind, l.value, l.key)}
              </th>
              <td className="tabular px-2 py-1 text-right">× {formatCount(l.pieces)}</td>
              <td className="px-2 py-1 text-right">
                {l.subtotal === null ? m.common.none : <Money amount={l.subtotal} />}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="font-semibold">
            <th scope="row" colSpan={2} className="px-2 py-1 text-left">
              {m.shifts.total}
            </th>
            <td className="px-2 py-1 text-right" data-testid="count-total">
              <Money amount={countTotal(lines)} />
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Every field of one shift: the float and its difference, the cash it moved, the expected
 * amount (so far, while it is open), the count by denomination, the difference and who opened,
 * closed and approved it. */
export function ShiftDetail({ shift, onClose }: { shift: HqShift | null; onClose: () => void }) {
  const { m, locale } = useI18n();
  const at = (iso: string | null) => formatNumericDateTime(iso, locale);
  const rows: [string, ReactNode][] = [];
  if (shift) {
    const open = shift.status === 'open';
    rows.push(
      [m.shifts.status, <ShiftStatusBadge key="s" status={shift.status} />],
      [m.shifts.businessDate, formatDayMonthYear(shift.business_date)],
      [m.shifts.openedAt, at(shift.opened_at)],
      [m.shifts.openedBy, shift.opened_by_name ?? m.common.none],
      [m.shifts.float, <Money key="f" amount={shift.opening_float} />],
    );
    if (shift.suggested_float !== null) {
      rows.push([m.shifts.suggestedFloat, <Money key="sf" amount={shift.suggested_float} />]);
    }
    if (shift.opening_difference !== 0) {
      rows.push([m.shifts.openingDifference, <Difference key="od" amount={shift.opening_difference} words />]);
    }
    if (shift.opening_note) rows.push([m.shifts.openingNoteLabel, shift.opening_note]);
    rows.push(
      [m.shifts.cashIn, <Money key="ci" amount={shift.cash_in} type="IN" />],
      [m.shifts.cashOut, <Money key="co" amount={shift.cash_out} type="OUT" />],
      [m.shifts.entries, formatCount(shift.entries)],
      [
        open ? m.shifts.expectedSoFar : m.shifts.expected,
        <span key="e" className="grid gap-0.5">
          <Money amount={shift.expected} className="font-medium" />
          {open ? (
            <span className="text-xs text-muted-foreground">
              {fill(m.shifts.expectedAsOf, { at: at(shift.received_at) })}
            </span>
          ) : null}
        </span>,
      ],
    );
    if (!open) {
      rows.push(
        [m.shifts.closedAt, at(shift.closed_at)],
        [m.shifts.closedBy, shift.closed_by_name ?? m.common.none],
        [m.shifts.counted, shift.counted === null ? m.common.none : <Money key="c" amount={shift.counted} />],
        [
          m.shifts.difference,
          shift.difference === null ? (
            m.common.none
          ) : (
            <Difference key="d" amount={shift.difference} words className="font-medium" />
          ),
        ],
      );
      if (shift.close_note) rows.push([m.shifts.closeNote, shift.close_note]);
      if (shift.approved_by_name) rows.push([m.shifts.approvedBy, shift.approved_by_name]);
    }
    rows.push([m.shifts.receivedAt, at(shift.received_at)], [m.shifts.id, <code key="i">{shift.id}</code>]);
  }
  return (
    <Dialog open={shift !== null} onOpenChange={(o) => (o ? undefined : onClose())}>
      <DialogContent
        closeLabel={m.common.close}
        className="max-h-[95vh] max-w-2xl overflow-y-auto"
        data-testid="shift-detail"
      >
        {shift ? (
          <>
            <DialogHeader>
              <DialogTitle>{fill(m.shifts.detailTitle, { date: formatDayMonthYear(shift.business_date) })}</DialogTitle>
              <DialogDescription>
                {fill(m.shifts.detailBody, { pc: shift.device_id ?? m.common.none })}
              </DialogDescription>
            </DialogHeader>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              {rows.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd className="min-w-0 break-words">{value}</dd>
                </div>
              ))}
            </dl>
            {shift.counts ? <CountTable counts={shift.counts} /> : null}
            {!shift.counts && shift.status === 'closed' ? (
              <p className="text-sm text-muted-foreground">{m.shifts.noCounts}</p>
            ) : null}
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

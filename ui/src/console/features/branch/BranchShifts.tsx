import { useState } from 'react';
import { formatDayMonthYear } from '@/components/DateInput';
import { Money } from '@/components/Money';
import { Pagination } from '@/components/Pagination';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import { formatNumericDateTime } from '@/lib/time';
import type { DateRange, HqShift } from '../../api/types';
import { Difference } from '../../components/Difference';
import { ExportControl } from '../../components/ExportControl';
import { useBranchShifts } from '../../hooks/useBranchShifts';
import { fill, useI18n } from '../../i18n';
import { ShiftDetail } from './ShiftDetail';
import { ShiftStatusBadge } from './ShiftStatusBadge';

const th = 'px-3 py-2 font-medium';

/** One shift as a row: when and who, the drawer's figures and the difference; its opening
 * time opens the detail. */
function ShiftRow({ shift, selected, onSelect }: { shift: HqShift; selected: boolean; onSelect: () => void }) {
  const { m, locale } = useI18n();
  const open = shift.status === 'open';
  return (
    <tr className={cn('border-b last:border-0 hover:bg-muted/50', selected && 'bg-accent')} data-testid="shift-row">
      <td className="whitespace-nowrap px-3 py-2">{formatDayMonthYear(shift.business_date)}</td>
      <td className="whitespace-nowrap px-3 py-2">
        <button
          type="button"
          aria-haspopup="dialog"
          onClick={onSelect}
          className="rounded font-medium underline-offset-2 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring pointer-coarse:min-h-10"
        >
          {formatNumericDateTime(shift.opened_at, locale)}
        </button>
      </td>
      <td className="px-3 py-2">{shift.opened_by_name ?? m.common.none}</td>
      <td className="px-3 py-2">
        {shift.device_id ? (
          <code className="text-xs" title={shift.device_id}>
            {shift.device_id.slice(0, 8)}
          </code>
        ) : (
          m.common.none
        )}
      </td>
      <td className="px-3 py-2 text-right">
        <Money amount={shift.opening_float} />
      </td>
      <td className="px-3 py-2 text-right">
        <Money amount={shift.expected} />
        {open ? <div className="whitespace-nowrap text-xs text-muted-foreground">{m.shifts.asOfSync}</div> : null}
      </td>
      <td className="px-3 py-2 text-right">
        {shift.counted === null ? m.common.none : <Money amount={shift.counted} />}
      </td>
      <td className="px-3 py-2 text-right font-medium" data-testid="shift-difference">
        {shift.difference === null ? m.common.none : <Difference amount={shift.difference} />}
      </td>
      <td className="px-3 py-2">
        <ShiftStatusBadge status={shift.status} />
      </td>
      <td className="px-3 py-2">
        {shift.close_note ? (
          <div className="max-w-56 truncate" title={shift.close_note}>
            {shift.close_note}
          </div>
        ) : null}
        {shift.opening_note ? (
          <div className="max-w-56 truncate text-xs text-muted-foreground" title={shift.opening_note}>
            {fill(m.shifts.openingNote, { note: shift.opening_note })}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

/** Shift kasir: the branch's cash shifts whose business date is in the period, newest first,
 * in pages; a shift opens its detail; all of them download. Give it a `key` of the range so a
 * new period starts on page 1. `code` names the file when HQ names none. */
export function BranchShifts({ branchId, code, range }: { branchId: string; code: string; range: DateRange }) {
  const { m } = useI18n();
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = useBranchShifts(branchId, range, page);
  const selected = list.data?.items.find((s) => s.id === chosen) ?? null;
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{m.shifts.title}</CardTitle>
        <ExportControl
          testid="shifts-export-"
          label={m.exports.shifts}
          hint={m.exports.shiftsHint}
          path={`/branches/${encodeURIComponent(branchId)}/shifts/export`}
          filters={{ from: range.from, to: range.to }}
          baseName={`shift_${code}`}
          notFoundText={m.exports.branchNotFound}
        />
      </CardHeader>
      <CardContent className="grid gap-2">
        {list.isPending ? <Loading /> : null}
        {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.data && list.data.items.length === 0 ? <Empty>{m.shifts.none}</Empty> : null}
        {list.data && list.data.items.length > 0 ? (
          <>
            <div className="overflow-x-auto">
              <table className="w-full border-collapse text-sm" data-testid="shifts-table">
                <caption className="sr-only">{m.shifts.caption}</caption>
                <thead>
                  <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
                    <th scope="col" className={th}>
                      {m.shifts.businessDate}
                    </th>
                    <th scope="col" className={th}>
                      {m.shifts.openedAt}
                    </th>
                    <th scope="col" className={th}>
                      {m.shifts.cashier}
                    </th>
                    <th scope="col" className={th}>
                      {m.shifts.pc}
                    </th>
                    <th scope="col" className={cn(th, 'text-right')}>
                      {m.shifts.float}
                    </th>
                    <th scope="col" className={cn(th, 'text-right')}>
                      {m.shifts.expected}
                    </th>
                    <th scope="col" className={cn(th, 'text-right')}>
                      {m.shifts.counted}
                    </th>
                    <th scope="col" className={cn(th, 'text-right')}>
                      {m.shifts.difference}
                    </th>
                    <th scope="col" className={th}>
                      {m.shifts.status}
                    </th>
                    <th scope="col" className={th}>
                      {m.shifts.note}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((s) => (
                    <ShiftRow key={s.id} shift={s} selected={s.id === chosen} onSelect={() => setChosen(s.id)} />
                  ))}
                </tbody>
              </table>
            </div>
            {list.data.total_pages > 1 ? (
              <Pagination
                page={list.data.page}
                pages={list.data.total_pages}
                total={list.data.total}
                onPage={setPage}
                totalText={m.shifts.count}
              />
            ) : null}
          </>
        ) : null}
        <ShiftDetail shift={selected} onClose={() => setChosen(null)} />
      </CardContent>
    </Card>
  );
}

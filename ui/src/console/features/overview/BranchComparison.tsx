import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useState } from 'react';
import { Money } from '@/components/Money';
import { formatCount } from '@/i18n/core';
import { cn } from '@/lib/cn';
import { formatRupiah } from '@/lib/money';
import type { BranchFigures } from '../../api/types';
import { Difference } from '../../components/Difference';
import { fill, useI18n } from '../../i18n';
import { branchPath, navigate } from '../../router';

export type SortKey =
  'name' | 'total_in' | 'total_out' | 'balance' | 'transaction_count' | 'voided_count' | 'shift_difference';
type Sort = { key: SortKey; dir: 'asc' | 'desc' };

const columns: SortKey[] = [
  'name',
  'total_in',
  'total_out',
  'balance',
  'transaction_count',
  'voided_count',
  'shift_difference',
];

/** The direction a first press sorts by: names A to Z, the most short drawers first, the
 * largest figures first. */
const firstDir = (key: SortKey): Sort['dir'] => (key === 'name' || key === 'shift_difference' ? 'asc' : 'desc');

/** The rows in the order a column asks for (a figure an older HQ does not send counts as 0);
 * ties keep the branch code order. */
export function sortBranches(rows: BranchFigures[], sort: Sort): BranchFigures[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const by = sort.key === 'name' ? a.name.localeCompare(b.name) : (a[sort.key] ?? 0) - (b[sort.key] ?? 0);
    return by !== 0 ? sign * by : a.code.localeCompare(b.code);
  });
}

/** The sum of the period's close differences and how many closes it sums, their short and
 * over parts on hover; a dash when no shift closed (or HQ does not count shifts yet). */
function ShiftDifference({ figures: b }: { figures: BranchFigures }) {
  const { m } = useI18n();
  const closed = b.shifts_closed ?? 0;
  if (closed === 0) {
    return (
      <span className="text-muted-foreground" title={m.compare.noShifts}>
        {m.common.none}
      </span>
    );
  }
  const short = b.shift_short ?? 0;
  const over = b.shift_over ?? 0;
  const parts = fill(m.compare.shiftParts, { short: formatRupiah(-short), over: formatRupiah(over) });
  return (
    <span className="grid justify-items-end" title={parts}>
      <Difference amount={b.shift_difference ?? 0} exact={short === 0 && over === 0} className="font-medium" />
      <span className="whitespace-nowrap text-xs text-muted-foreground">
        {fill(m.compare.shiftsClosed, { count: closed })}
      </span>
    </span>
  );
}

/** In, out, net, entries, voids and the cash difference of the closed shifts per branch in
 * the period; each column header sorts (a button, so Enter and Space do too), a second press
 * reverses. */
export function BranchComparison({ rows }: { rows: BranchFigures[] }) {
  const { m } = useI18n();
  const [sort, setSort] = useState<Sort>({ key: 'name', dir: 'asc' });
  const sorted = sortBranches(rows, sort);
  const press = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir(key) }));
  return (
    // Its width comes from the card, never from the table: otherwise a table wider than a
    // tablet widens the whole overview instead of scrolling here.
    <div className="overflow-x-auto contain-inline-size">
      <table className="w-full border-collapse text-sm" data-testid="comparison">
        <caption className="sr-only">{m.compare.caption}</caption>
        <thead>
          <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
            {columns.map((key) => {
              const active = sort.key === key;
              const Icon = !active ? ArrowUpDown : sort.dir === 'asc' ? ArrowUp : ArrowDown;
              return (
                <th
                  key={key}
                  scope="col"
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={cn('px-3 py-2 font-medium', key !== 'name' && 'text-right')}
                >
                  <button
                    type="button"
                    onClick={() => press(key)}
                    className={cn(
                      'inline-flex items-center gap-1 rounded uppercase hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring pointer-coarse:min-h-10',
                      active && 'text-foreground',
                    )}
                  >
                    {m.compare[key]}
                    <Icon className="size-3" aria-hidden />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((b) => (
            <tr key={b.branch_id} className="border-b last:border-0 hover:bg-muted/50" data-testid="comparison-row">
              <td className="px-3 py-2">
                <a
                  href={branchPath(b.branch_id)}
                  className="font-medium underline-offset-2 hover:underline pointer-coarse:inline-flex pointer-coarse:min-h-10 pointer-coarse:items-center"
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
                    e.preventDefault();
                    navigate(branchPath(b.branch_id) + window.location.search);
                  }}
                >
                  {b.name}
                </a>
                <div className="text-xs text-muted-foreground">{b.code}</div>
              </td>
              <td className="px-3 py-2 text-right">
                <Money amount={b.total_in} type="IN" />
              </td>
              <td className="px-3 py-2 text-right">
                <Money amount={b.total_out} type="OUT" />
              </td>
              <td className="px-3 py-2 text-right font-medium">
                <Money amount={b.balance} />
              </td>
              <td className="tabular px-3 py-2 text-right">{formatCount(b.transaction_count)}</td>
              <td className="tabular px-3 py-2 text-right">{formatCount(b.voided_count)}</td>
              <td className="px-3 py-2 text-right" data-testid="comparison-shift-difference">
                <ShiftDifference figures={b} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

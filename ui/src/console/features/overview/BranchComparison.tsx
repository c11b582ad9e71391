import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useState } from 'react';
import { Money } from '@/components/Money';
import { formatCount } from '@/i18n/core';
import { cn } from '@/lib/cn';
import type { BranchFigures } from '../../api/types';
import { useI18n } from '../../i18n';
import { branchPath, navigate } from '../../router';

export type SortKey = 'name' | 'total_in' | 'total_out' | 'balance' | 'transaction_count' | 'voided_count';
type Sort = { key: SortKey; dir: 'asc' | 'desc' };

const columns: SortKey[] = ['name', 'total_in', 'total_out', 'balance', 'transaction_count', 'voided_count'];

/** The rows in the order a column asks for; ties keep the branch code order. */
export function sortBranches(rows: BranchFigures[], sort: Sort): BranchFigures[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const by = sort.key === 'name' ? a.name.localeCompare(b.name) : (a[sort.key] as number) - (b[sort.key] as number);
    return by !== 0 ? sign * by : a.code.localeCompare(b.code);
  });
}

/** In, out, net, entries and voids per branch in the period; each column header sorts (a
 * button, so Enter and Space do too), a second press reverses. */
export function BranchComparison({ rows }: { rows: BranchFigures[] }) {
  const { m } = useI18n();
  const [sort, setSort] = useState<Sort>({ key: 'name', dir: 'asc' });
  const sorted = sortBranches(rows, sort);
  const press = (key: SortKey) =>
    setSort((s) =>
      s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' },
    );
  return (
    <div className="overflow-x-auto">
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

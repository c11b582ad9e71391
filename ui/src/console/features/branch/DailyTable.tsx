import { formatDayMonthYear } from '@/components/DateInput';
import { Money } from '@/components/Money';
import { formatCount } from '@/i18n/core';
import { cn } from '@/lib/cn';
import type { DailyRow } from '../../api/types';
import { useI18n } from '../../i18n';

/** One row per business date: in, out, net, closing balance and voids; a date opens its entries. */
export function DailyTable({
  rows,
  selected,
  onSelect,
}: {
  rows: DailyRow[];
  selected: string | null;
  onSelect: (date: string) => void;
}) {
  const { m } = useI18n();
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm" data-testid="daily-table">
        <caption className="sr-only">{m.branch.dailyCaption}</caption>
        <thead>
          <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
            <th scope="col" className="px-3 py-2 font-medium">
              {m.branch.date}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {m.compare.total_in}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {m.compare.total_out}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {m.compare.balance}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {m.branch.closing}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {m.compare.voided_count}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.date}
              className={cn('border-b last:border-0 hover:bg-muted/50', r.date === selected && 'bg-accent')}
              data-testid="daily-row"
            >
              <td className="px-3 py-2">
                <button
                  type="button"
                  aria-pressed={r.date === selected}
                  onClick={() => onSelect(r.date)}
                  className="rounded font-medium underline-offset-2 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring pointer-coarse:min-h-10"
                >
                  {formatDayMonthYear(r.date)}
                </button>
              </td>
              <td className="px-3 py-2 text-right">
                <Money amount={r.total_in} type="IN" />
              </td>
              <td className="px-3 py-2 text-right">
                <Money amount={r.total_out} type="OUT" />
              </td>
              <td className="px-3 py-2 text-right">
                <Money amount={r.total_in - r.total_out} />
              </td>
              <td className="px-3 py-2 text-right font-medium">
                <Money amount={r.balance} />
              </td>
              <td className="tabular px-3 py-2 text-right">{formatCount(r.voided_count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

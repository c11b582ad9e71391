import { Ban, Undo2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { formatDayMonthYear } from '@/components/DateInput';
import { Money } from '@/components/Money';
import { Pagination } from '@/components/Pagination';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { cn } from '@/lib/cn';
import { formatNumericDateTime } from '@/lib/time';
import type { HqTransactionFilters, TxType } from '../../api/types';
import { useStaff } from '../../hooks/useStaff';
import { useHqLists } from '../../hooks/useHqLists';
import { useHqTransactions } from '../../hooks/useHqTransactions';
import { fill, useI18n } from '../../i18n';
import { useSearchParams } from '../../router';
import { EntryDetail } from './EntryDetail';

export const PAGE_SIZE = 20;
const FILTERS = ['type', 'category', 'channel', 'staff', 'q', 'page', 'entry'] as const;

/** The filters of the day's list, read from the address. */
function filtersOf(params: URLSearchParams, branchId: string, day: string): HqTransactionFilters {
  const type = params.get('type');
  const page = Number(params.get('page'));
  return {
    branch_id: branchId,
    from: day,
    to: day,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    limit: PAGE_SIZE,
    type: type === 'IN' || type === 'OUT' ? (type as TxType) : undefined,
    category: params.get('category') || undefined,
    channel_id: params.get('channel') || undefined,
    recorded_by: params.get('staff') || undefined,
    q: params.get('q') || undefined,
  };
}

/** Clears the day's filters from an address (another day starts unfiltered). */
export function withoutDayFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const k of FILTERS) next.delete(k);
  return next;
}

/** One day's entries of a branch: filters (type, category, channel, who recorded, text), pages, and the
 * chosen entry's detail. */
export function DayEntries({ branchId, day }: { branchId: string; day: string }) {
  const { m, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params, branchId, day);
  const list = useHqTransactions(filters);
  const lists = useHqLists();
  const staff = useStaff(branchId);
  const [text, setText] = useState(filters.q ?? '');
  const entryId = params.get('entry');

  const set = (key: (typeof FILTERS)[number], value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page' && key !== 'entry') next.delete('page');
    setParams(next);
  };

  // The text filter follows typing after a short pause, not every key.
  useEffect(() => {
    const q = text.trim();
    if (q === (filters.q ?? '')) return;
    const t = setTimeout(() => set('q', q || undefined), 300);
    return () => clearTimeout(t);
  });

  const selected = list.data?.items.find((tx) => tx.id === entryId) ?? null;
  return (
    <section className="grid gap-3" aria-labelledby="day-title">
      <h2 id="day-title" className="text-lg font-semibold">
        {fill(m.branch.dayTitle, { day: formatDayMonthYear(day) })}
      </h2>
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4" role="search" aria-label={m.branch.filters}>
        <Select aria-label={m.entry.type} value={filters.type ?? ''} onChange={(e) => set('type', e.target.value)}>
          <option value="">{m.branch.allTypes}</option>
          <option value="IN">{m.common.in}</option>
          <option value="OUT">{m.common.out}</option>
        </Select>
        <Select
          aria-label={m.entry.category}
          value={filters.category ?? ''}
          onChange={(e) => set('category', e.target.value)}
        >
          <option value="">{m.branch.allCategories}</option>
          {lists.data?.categories.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </Select>
        <Select
          aria-label={m.entry.channel}
          value={filters.channel_id ?? ''}
          onChange={(e) => set('channel', e.target.value)}
        >
          <option value="">{m.common.allChannels}</option>
          {lists.data?.channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.active ? c.name : fill(m.common.inactiveChannel, { name: c.name })}
            </option>
          ))}
        </Select>
        {staff.data && staff.data.length > 0 ? (
          <Select
            aria-label={m.entry.recordedBy}
            value={filters.recorded_by ?? ''}
            onChange={(e) => set('staff', e.target.value)}
            data-testid="filter-recorded-by"
          >
            <option value="">{m.branch.allStaff}</option>
            {staff.data.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        ) : null}
        <Input
          type="search"
          aria-label={m.branch.search}
          placeholder={m.branch.search}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.items.length === 0 ? <Empty>{m.branch.noEntries}</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="grid gap-3 lg:grid-cols-[1fr_22rem]">
          <div className="grid content-start gap-2">
            <div className="overflow-x-auto">
              <table className="w-full border-collapse text-sm" data-testid="entries-table">
                <caption className="sr-only">{m.branch.entriesCaption}</caption>
                <thead>
                  <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
                    <th scope="col" className="px-3 py-2 font-medium">
                      {m.entry.occurredAt}
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      {m.entry.category}
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      {m.entry.channel}
                    </th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">
                      {m.entry.amount}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((tx) => (
                    <tr
                      key={tx.id}
                      className={cn(
                        'border-b last:border-0 hover:bg-muted/50',
                        tx.id === entryId && 'bg-accent',
                        tx.voided_by && 'text-muted-foreground',
                      )}
                      data-testid="entry-row"
                    >
                      <td className="whitespace-nowrap px-3 py-2">{formatNumericDateTime(tx.occurred_at, locale)}</td>
                      <td className="px-3 py-2">
                        <button
                          type="button"
                          aria-pressed={tx.id === entryId}
                          onClick={() => set('entry', tx.id)}
                          className={cn(
                            'rounded text-left font-medium hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring pointer-coarse:min-h-10',
                            tx.voided_by && 'line-through',
                          )}
                        >
                          {tx.category}
                        </button>
                        {tx.description ? (
                          <div className="max-w-72 truncate text-xs text-muted-foreground" title={tx.description}>
                            {tx.description}
                          </div>
                        ) : null}
                        {tx.voided_by ? (
                          <Badge variant="secondary">
                            <Ban aria-hidden />
                            {m.entry.voided}
                          </Badge>
                        ) : null}
                        {tx.reverses_id ? (
                          <Badge variant="outline">
                            <Undo2 aria-hidden />
                            {m.entry.voidEntry}
                          </Badge>
                        ) : null}
                      </td>
                      <td className="whitespace-nowrap px-3 py-2">{tx.channel_name}</td>
                      <td className={cn('px-3 py-2 text-right', tx.voided_by && 'line-through')}>
                        <Money amount={tx.amount} type={tx.type} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={list.data.page}
              pages={list.data.total_pages}
              total={list.data.total}
              onPage={(p) => set('page', String(p))}
            />
          </div>
          {selected ? <EntryDetail tx={selected} /> : <Empty>{m.branch.pickEntry}</Empty>}
        </div>
      ) : null}
    </section>
  );
}

import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from '@/app/router';
import { ErrorState, Empty, Loading } from '@/components/States';
import { Card, CardContent } from '@/components/ui/card';
import { useTransactions } from '@/hooks/useTransactions';
import { useTransactionTotals } from '@/hooks/useTransactionTotals';
import { ListTotals } from './ListTotals';
import { useI18n } from '@/i18n';
import { DetailPanel } from './DetailPanel';
import { FilterBar } from './FilterBar';
import { filtersFromParams, filtersToParams, hasFilters, toQuery, toTotalsQuery, type HistoryFilters } from './filters';
import { Pagination } from '@/components/Pagination';
import { TransactionTable } from './TransactionTable';

/** Riwayat: filtered, paged entries with a detail panel and voiding. */
export function HistoryPage() {
  const { m } = useI18n();
  // The filters live in the address, so a reload or a shared link shows the same list.
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const setFilters = useCallback((f: HistoryFilters) => setParams(filtersToParams(f)), [setParams]);
  const [selected, setSelected] = useState<string | null>(null);
  const list = useTransactions(toQuery(filters));
  const totals = useTransactionTotals(toTotalsQuery(filters));
  const closeDetail = useCallback(() => setSelected(null), []);

  let content;
  if (list.isPending) content = <Loading />;
  else if (list.isError && !list.data) content = <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  else if (list.data.items.length === 0)
    content = <Empty>{hasFilters(filters) ? m.history.empty : m.history.emptyBook}</Empty>;
  else
    content = (
      <>
        {totals.data ? <ListTotals totals={totals.data} /> : null}
        <TransactionTable items={list.data.items} selectedId={selected} onSelect={setSelected} />
        <div className="border-t p-3">
          <Pagination
            page={list.data.page}
            pages={list.data.total_pages}
            total={list.data.total}
            onPage={(page) => setFilters({ ...filters, page })}
          />
        </div>
      </>
    );

  return (
    <section className="flex flex-col gap-4" aria-labelledby="history-title">
      <h1 id="history-title" className="text-2xl font-semibold">
        {m.history.title}
      </h1>
      <FilterBar value={filters} onChange={setFilters} />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card className="min-w-0">
          <CardContent className="p-0" aria-busy={list.isFetching}>
            {content}
          </CardContent>
        </Card>
        <DetailPanel id={selected} onSelect={setSelected} onClose={closeDetail} />
      </div>
    </section>
  );
}

import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { useSearchParams } from '@/app/router';
import { ErrorState, Empty, Loading } from '@/components/States';
import { PeriodPicker } from '@/components/PeriodPicker';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ChannelSelect } from '@/components/ChannelSelect';
import { useCategoryTotals } from '@/hooks/useCategoryTotals';
import { useChannelTotals } from '@/hooks/useChannelTotals';
import { useDaily } from '@/hooks/useDaily';
import { useSummary } from '@/hooks/useSummary';
import { useSystemStatus } from '@/hooks/useSystemStatus';
import { SyncBadge } from '@/components/SyncBadge';
import { useI18n } from '@/i18n';
import { periodFromParams, periodRange, periodToParams, type Period } from '@/lib/period';
import { isUuid } from '@/lib/uuid';
import { ChannelTotals } from './ChannelTotals';
import { SummaryCards } from './SummaryCards';

// Recharts stays out of the first download: it arrives while the numbers are already shown.
const DailyChart = lazy(() => import('./DashboardCharts').then((mod) => ({ default: mod.DailyChart })));
const CategoryChart = lazy(() => import('./DashboardCharts').then((mod) => ({ default: mod.CategoryChart })));

function ChartCard({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base text-foreground">{title}</CardTitle>
        {note ? <p className="text-xs text-muted-foreground">{note}</p> : null}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

const THIS_MONTH: Period = { kind: 'month' };

/** Beranda: balance and totals of a period (through one payment channel or all), daily cash
 * flow, totals by category and by channel. */
export function DashboardPage() {
  const { m } = useI18n();
  // The period lives in the address, so a reload or a shared link shows the same figures.
  const [params, setParams] = useSearchParams();
  const period = useMemo(() => periodFromParams(params, THIS_MONTH), [params]);
  const setPeriod = (p: Period) => {
    const next = new URLSearchParams(params);
    periodToParams(p, next, THIS_MONTH);
    setParams(next);
  };
  // The payment channel too; the cards and the daily chart follow it.
  const asked = params.get('channel_id') ?? '';
  const channelId = isUuid(asked) ? asked : '';
  const setChannel = (id: string) => {
    const next = new URLSearchParams(params);
    if (id) next.set('channel_id', id);
    else next.delete('channel_id');
    setParams(next);
  };
  const range = periodRange(period);
  const channel = channelId ? { channel_id: channelId } : {};
  const summary = useSummary({ ...range, ...channel });
  const balance = useSummary({ ...(range.to ? { to: range.to } : {}), ...channel });
  const daily = useDaily({ ...range, ...channel });
  const categories = useCategoryTotals(range);
  const channels = useChannelTotals(range);
  const status = useSystemStatus();
  const chartsWait = <Loading label={m.dashboard.chartsLoading} />;

  return (
    <section className="flex flex-col gap-4" aria-labelledby="dashboard-title">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h1 id="dashboard-title" className="text-2xl font-semibold">
            {m.dashboard.title}
          </h1>
          <SyncBadge status={status.isError ? undefined : status.data} />
        </div>
        <div className="flex flex-wrap items-start gap-2">
          <ChannelSelect className="w-48" value={channelId} onChange={setChannel} data-testid="dashboard-channel" />
          <PeriodPicker value={period} onChange={setPeriod} />
        </div>
      </div>
      {summary.isError && !summary.data ? (
        <Card>
          <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
        </Card>
      ) : (
        <SummaryCards balance={balance.data} period={summary.data} />
      )}
      <div className="grid gap-4 xl:grid-cols-2">
        <ChartCard title={m.dashboard.daily}>
          {daily.isPending ? (
            chartsWait
          ) : daily.isError ? (
            <ErrorState error={daily.error} onRetry={() => void daily.refetch()} />
          ) : daily.data.every((d) => d.total_in === 0 && d.total_out === 0) ? (
            <Empty>{m.dashboard.noData}</Empty>
          ) : (
            <Suspense fallback={chartsWait}>
              <DailyChart rows={daily.data} />
            </Suspense>
          )}
        </ChartCard>
        <ChartCard title={m.dashboard.byCategory} note={channelId ? m.dashboard.categoriesAllChannels : undefined}>
          {categories.isPending ? (
            chartsWait
          ) : categories.isError ? (
            <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />
          ) : categories.data.length === 0 ? (
            <Empty>{m.dashboard.noData}</Empty>
          ) : (
            <Suspense fallback={chartsWait}>
              <CategoryChart rows={categories.data} />
            </Suspense>
          )}
        </ChartCard>
        <ChartCard title={m.dashboard.byChannel}>
          {channels.isPending ? (
            <Loading />
          ) : channels.isError ? (
            <ErrorState error={channels.error} onRetry={() => void channels.refetch()} />
          ) : channels.data.length === 0 ? (
            <Empty>{m.dashboard.noData}</Empty>
          ) : (
            <ChannelTotals rows={channels.data} />
          )}
        </ChartCard>
      </div>
    </section>
  );
}

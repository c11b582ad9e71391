import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import type { ExportChoice, TxType } from '@/api/types';
import { useSearchParams } from '@/app/router';
import { ErrorState, Empty, Loading } from '@/components/States';
import { ExportControl } from '@/components/ExportControl';
import { PeriodPicker } from '@/components/PeriodPicker';
import { PrintControl } from '@/components/PrintControl';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Select } from '@/components/ui/select';
import { ChannelSelect } from '@/components/ChannelSelect';
import { useCategoryTotals } from '@/hooks/useCategoryTotals';
import { useChannelTotals } from '@/hooks/useChannelTotals';
import { useDaily } from '@/hooks/useDaily';
import { useLists } from '@/hooks/useLists';
import { useSummary } from '@/hooks/useSummary';
import { useSystemStatus } from '@/hooks/useSystemStatus';
import { SyncBadge } from '@/components/SyncBadge';
import { useI18n } from '@/i18n';
import { periodFromParams, periodRange, periodToParams, type Period } from '@/lib/period';
import { isUuid } from '@/lib/uuid';
import { ChannelTotals } from './ChannelTotals';
import { DailyReportPrint } from './DailyReportPrint';
import { SummaryCards } from './SummaryCards';

// Recharts stays out of the first download: it arrives while the numbers are already shown.
const DailyChart = lazy(() => import('./DashboardCharts').then((mod) => ({ default: mod.DailyChart })));
const CategoryChart = lazy(() => import('./DashboardCharts').then((mod) => ({ default: mod.CategoryChart })));

function ChartCard({
  title,
  note,
  actions,
  children,
}: {
  title: string;
  note?: string;
  /** Controls beside the title (its export, its print), wrapping below it when narrow. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="grid gap-1">
            <CardTitle className="text-base text-foreground">{title}</CardTitle>
            {note ? <p className="text-xs text-muted-foreground">{note}</p> : null}
          </div>
          {actions ? <div className="flex flex-wrap items-center gap-2 print:hidden">{actions}</div> : null}
        </div>
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

const THIS_MONTH: Period = { kind: 'month' };
const DAILY_FORMATS: ExportChoice[] = [';', ',', 'xlsx', 'pdf'];
const CATEGORY_FORMATS: ExportChoice[] = [';', ',', 'xlsx'];
const TYPES: TxType[] = ['IN', 'OUT'];

/** Beranda: balance and totals of a period (through one payment channel or all), daily cash
 * flow, totals by category (money in, out or both) and by channel. The daily report exports
 * (CSV, XLSX, PDF) and prints (A4 or an 80 mm receipt) as the period and channel show it; the
 * totals by category export as the period and type show them. */
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
  // The totals by category: money in, out, or both.
  const askedType = params.get('type') as TxType | null;
  const categoryType = askedType && TYPES.includes(askedType) ? askedType : '';
  const setCategoryType = (type: TxType | '') => {
    const next = new URLSearchParams(params);
    if (type) next.set('type', type);
    else next.delete('type');
    setParams(next);
  };
  const range = periodRange(period);
  const channel = channelId ? { channel_id: channelId } : {};
  const byType = categoryType ? { type: categoryType } : {};
  const summary = useSummary({ ...range, ...channel });
  const balance = useSummary({ ...(range.to ? { to: range.to } : {}), ...channel });
  const daily = useDaily({ ...range, ...channel });
  const categories = useCategoryTotals({ ...range, ...byType });
  const channels = useChannelTotals(range);
  const status = useSystemStatus();
  const lists = useLists();
  const channelName = channelId ? (lists.data?.channels.find((c) => c.id === channelId)?.name ?? channelId) : null;
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
        <ChartCard
          title={m.dashboard.daily}
          actions={
            <>
              <ExportControl
                path="/dashboard/daily/export"
                query={{ ...range, ...channel }}
                formats={DAILY_FORMATS}
                fallbackName="harian"
                testIdPrefix="daily-"
                what={m.dashboard.dailyWhat}
                title={m.dashboard.dailyExportTitle}
              />
              <PrintControl
                target="daily"
                what={m.dashboard.dailyWhat}
                testId="daily-print"
                paperTestId="print-paper"
              />
            </>
          }
        >
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
        <ChartCard
          title={m.dashboard.byCategory}
          note={channelId ? m.dashboard.categoriesAllChannels : undefined}
          actions={
            <>
              <Select
                className="w-40"
                aria-label={m.dashboard.categoryType}
                value={categoryType}
                onChange={(e) => setCategoryType(e.target.value as TxType | '')}
                data-testid="category-type"
              >
                <option value="">{m.history.allTypes}</option>
                <option value="IN">{m.common.in}</option>
                <option value="OUT">{m.common.out}</option>
              </Select>
              <ExportControl
                path="/dashboard/categories/export"
                query={{ ...range, ...byType }}
                formats={CATEGORY_FORMATS}
                fallbackName="kategori"
                testIdPrefix="category-"
                what={m.dashboard.categoryWhat}
                title={m.dashboard.categoryExportTitle}
              />
            </>
          }
        >
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
      <DailyReportPrint
        range={range}
        channelName={channelName}
        branch={status.data?.branch}
        period={summary.data}
        balance={balance.data}
        rows={daily.data}
      />
    </section>
  );
}

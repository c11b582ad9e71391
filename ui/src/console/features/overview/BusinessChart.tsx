import { lazy, Suspense } from 'react';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Select } from '@/components/ui/select';
import type { DateRange } from '../../api/types';
import { useBranches } from '../../hooks/useBranches';
import { useReportDaily } from '../../hooks/useReportDaily';
import { fill, useI18n } from '../../i18n';
import { useSearchParams } from '../../router';
import { ChartTable } from './ChartTable';
import { chartSeries, longLabel, MONTHS_AFTER_DAYS, shortLabel, type ChartSeries } from './chartSeries';

// Recharts stays out of the console's first download: it arrives while the figures are shown.
const FlowChart = lazy(() => import('@/components/charts/FlowChart').then((mod) => ({ default: mod.FlowChart })));

/** The branch the chart is narrowed to (`?branch_id=`), or '' for the whole business. */
function useChartBranch(): [string, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = (id: string) => {
    const next = new URLSearchParams(params);
    if (id) next.set('branch_id', id);
    else next.delete('branch_id');
    setParams(next);
  };
  return [params.get('branch_id') ?? '', set];
}

/** Which grouping the chart shows and over which dates, in words. */
function useCaption({ grouping, points }: ChartSeries): string {
  const { m } = useI18n();
  const from = longLabel(points[0]?.date ?? '');
  const to = longLabel(points[points.length - 1]?.date ?? '');
  return grouping === 'month'
    ? fill(m.chart.byMonth, { from, to, days: MONTHS_AFTER_DAYS })
    : fill(m.chart.byDay, { from, to });
}

/** Ringkasan's chart of the period: money in and out per day (per month over a long period) as
 * bars and the closing balance as a line, for the whole business or one branch. */
export function BusinessChart({ range }: { range: DateRange }) {
  const { m } = useI18n();
  const [branchId, setBranchId] = useChartBranch();
  const branches = useBranches();
  const daily = useReportDaily(branchId || null, range);
  const options = branches.data ?? [];
  return (
    <Card data-testid="business-chart">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{m.chart.title}</CardTitle>
        <Select
          className="w-60"
          aria-label={m.chart.branch}
          value={branchId}
          onChange={(e) => setBranchId(e.target.value)}
          data-testid="chart-branch"
        >
          <option value="">{m.chart.allBranches}</option>
          {branchId && !options.some((b) => b.id === branchId) ? <option value={branchId}>{branchId}</option> : null}
          {options.map((b) => (
            <option key={b.id} value={b.id}>
              {b.code} · {b.name}
            </option>
          ))}
        </Select>
      </CardHeader>
      <CardContent>
        {daily.isPending ? <Loading label={m.chart.loading} /> : null}
        {daily.isError ? <ErrorState error={daily.error} onRetry={() => void daily.refetch()} /> : null}
        {daily.data ? <ChartBody series={chartSeries(daily.data)} /> : null}
      </CardContent>
    </Card>
  );
}

function ChartBody({ series }: { series: ChartSeries }) {
  const { m } = useI18n();
  const caption = useCaption(series);
  if (series.points.every((p) => p.total_in === 0 && p.total_out === 0)) return <Empty>{m.chart.empty}</Empty>;
  return (
    <figure className="grid gap-2" data-grouping={series.grouping}>
      <Suspense fallback={<Loading label={m.chart.loading} />}>
        <FlowChart
          rows={series.points}
          labels={{ in: m.overview.in, out: m.overview.out, balance: m.chart.closing }}
          tick={shortLabel}
          tooltipLabel={longLabel}
        />
      </Suspense>
      <figcaption className="text-xs text-muted-foreground" data-testid="chart-caption">
        {caption}
      </figcaption>
      <ChartTable series={series} caption={caption} />
    </figure>
  );
}

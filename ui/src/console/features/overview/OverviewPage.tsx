import { PeriodPicker } from '@/components/PeriodPicker';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { periodFromParams, periodRange, periodToParams, type Period } from '@/lib/period';
import { useReportSummary } from '../../hooks/useReportSummary';
import { useI18n } from '../../i18n';
import { useSearchParams } from '../../router';
import { AttentionPanel } from './AttentionPanel';
import { BranchComparison } from './BranchComparison';
import { BusinessChart } from './BusinessChart';
import { CashPosition } from './CashPosition';
import { EntriesExport } from './EntriesExport';
import { MonthlyPack } from './MonthlyPack';
import { PeriodFigures } from './PeriodFigures';
import { needsAttention } from './attention';
import { useBranches } from '../../hooks/useBranches';
import { useHqSettings } from '../../hooks/useHqSettings';
import { useShiftAttention } from '../../hooks/useShiftAttention';
import { ExportControl } from '../../components/ExportControl';

export const DEFAULT_PERIOD: Period = { kind: 'month' };

/** The period of the address (`?period=…`), shared by the overview and a branch's page. */
export function usePeriod(): [Period, (p: Period) => void] {
  const [params, setParams] = useSearchParams();
  const period = periodFromParams(params, DEFAULT_PERIOD);
  const setPeriod = (p: Period) => {
    const next = new URLSearchParams(params);
    periodToParams(p, next, DEFAULT_PERIOD);
    setParams(next);
  };
  return [period, setPeriod];
}

/** Ringkasan: the cash position, the period's figures and its chart by day, who needs
 * attention, and the branches side by side; the comparison and the period's entries download,
 * as does the accountant's monthly report. */
export function OverviewPage() {
  const { m } = useI18n();
  const [period, setPeriod] = usePeriod();
  const allTime = useReportSummary({});
  const range = periodRange(period);
  const inPeriod = useReportSummary(range);
  const settings = useHqSettings();
  const branches = useBranches();
  const shifts = useShiftAttention();
  return (
    <div className="grid gap-4">
      <h1 className="text-2xl font-semibold">{m.overview.title}</h1>
      {allTime.isPending ? <Loading /> : null}
      {allTime.isError ? <ErrorState error={allTime.error} onRetry={() => void allTime.refetch()} /> : null}
      {allTime.data && allTime.data.branches.length === 0 ? <Empty>{m.overview.noBranches}</Empty> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {allTime.data ? <CashPosition summary={allTime.data} /> : null}
        {allTime.data && inPeriod.data ? (
          <AttentionPanel
            items={needsAttention(
              allTime.data.branches,
              inPeriod.data.branches,
              new Date(),
              settings.data?.stale_hours,
              branches.data,
              shifts.data,
            )}
          />
        ) : null}
      </div>
      <section className="grid gap-3" aria-labelledby="period-title">
        <h2 id="period-title" className="text-lg font-semibold">
          {m.overview.period}
        </h2>
        <PeriodPicker value={period} onChange={setPeriod} />
        {inPeriod.isPending ? <Loading /> : null}
        {inPeriod.isError ? <ErrorState error={inPeriod.error} onRetry={() => void inPeriod.refetch()} /> : null}
        {inPeriod.data ? (
          <>
            <PeriodFigures total={inPeriod.data.total} />
            <BusinessChart range={range} />
            <Card>
              <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
                <CardTitle>{m.compare.title}</CardTitle>
                <ExportControl
                  testid="summary-export-"
                  label={m.exports.summary}
                  hint={m.exports.summaryTitle}
                  path="/reports/summary/export"
                  filters={{ from: range.from, to: range.to }}
                  baseName="ringkasan_semua"
                />
              </CardHeader>
              <CardContent>
                <BranchComparison rows={inPeriod.data.branches} />
              </CardContent>
            </Card>
          </>
        ) : null}
        <div className="grid gap-4 lg:grid-cols-2">
          <EntriesExport range={range} />
          <MonthlyPack />
        </div>
      </section>
    </div>
  );
}

import { ArrowLeft } from 'lucide-react';
import { PeriodPicker } from '@/components/PeriodPicker';
import { Empty, ErrorState, Loading } from '@/components/States';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { periodRange } from '@/lib/period';
import { ExportControl } from '../../components/ExportControl';
import { LastContact } from '../../components/LastContact';
import { useBranches } from '../../hooks/useBranches';
import { useReportDaily } from '../../hooks/useReportDaily';
import { useI18n } from '../../i18n';
import { REPORT_FORMATS } from '../../lib/exports';
import { navigate, useSearchParams } from '../../router';
import { usePeriod } from '../overview/OverviewPage';
import { DailyTable } from './DailyTable';
import { BranchShifts } from './BranchShifts';
import { DayEntries, withoutDayFilters } from './DayEntries';

/** One branch: its days in the period; a day lists its entries; an entry shows its fields. Its
 * cash shifts of the period below. The days, the period's entries and the shifts download. */
export function BranchPage({ id }: { id: string }) {
  const { m } = useI18n();
  const [period, setPeriod] = usePeriod();
  const [params, setParams] = useSearchParams();
  const branches = useBranches();
  const range = periodRange(period);
  const daily = useReportDaily(id, range);
  const branch = branches.data?.find((b) => b.id === id);
  const day = params.get('day');
  const code = branch?.code ?? 'cabang';
  const dates = { from: range.from, to: range.to };

  const selectDay = (date: string) => {
    const next = withoutDayFilters(params);
    next.set('day', date);
    setParams(next);
  };

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <a
          href="/"
          className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground pointer-coarse:min-h-10"
          onClick={(e) => {
            e.preventDefault();
            const keep = new URLSearchParams();
            for (const k of ['period', 'from', 'to']) if (params.get(k)) keep.set(k, params.get(k) ?? '');
            const q = keep.toString();
            navigate(q ? `/?${q}` : '/');
          }}
        >
          <ArrowLeft className="size-4" aria-hidden />
          {m.nav.overview}
        </a>
        <h1 className="text-2xl font-semibold">{branch ? `${branch.code} · ${branch.name}` : m.branch.title}</h1>
        {branch?.disabled_at ? <Badge variant="destructive">{m.branches.disabled}</Badge> : null}
        {branch ? (
          <span className="text-sm text-muted-foreground">
            {m.branches.lastContact}: <LastContact at={branch.last_seen_at} />
          </span>
        ) : null}
      </div>
      <PeriodPicker value={period} onChange={setPeriod} />
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
          <CardTitle>{m.branch.daily}</CardTitle>
          <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
            <ExportControl
              testid="daily-export-"
              label={m.exports.daily}
              hint={m.exports.dailyHint}
              path="/reports/daily/export"
              filters={{ branch_id: id, ...dates }}
              formats={REPORT_FORMATS}
              baseName={`harian_${code}`}
              notFoundText={m.exports.branchNotFound}
            />
            <ExportControl
              testid="branch-entries-export-"
              label={m.exports.branchEntries}
              hint={m.exports.branchEntriesHint}
              path="/transactions/export"
              filters={{ branch_id: id, ...dates }}
              baseName={`transaksi_${code}`}
              notFoundText={m.exports.branchNotFound}
            />
          </div>
        </CardHeader>
        <CardContent>
          {daily.isPending ? <Loading /> : null}
          {daily.isError ? <ErrorState error={daily.error} onRetry={() => void daily.refetch()} /> : null}
          {daily.data && daily.data.length === 0 ? <Empty>{m.branch.noDays}</Empty> : null}
          {daily.data && daily.data.length > 0 ? (
            <DailyTable rows={daily.data} selected={day} onSelect={selectDay} />
          ) : null}
        </CardContent>
      </Card>
      {day ? <DayEntries branchId={id} day={day} key={day} /> : null}
      <BranchShifts branchId={id} code={code} range={range} key={`${range.from ?? ''}..${range.to ?? ''}`} />
    </div>
  );
}

import { formatRupiah } from '@/lib/money';
import { useI18n } from '../../i18n';
import { longLabel, type ChartSeries } from './chartSeries';

/** The chart's numbers for screen readers: a visually hidden table, one row per point. */
export function ChartTable({ series, caption }: { series: ChartSeries; caption: string }) {
  const { m } = useI18n();
  return (
    <table className="sr-only" data-testid="chart-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{series.grouping === 'month' ? m.chart.month : m.chart.day}</th>
          <th scope="col">{m.overview.in}</th>
          <th scope="col">{m.overview.out}</th>
          <th scope="col">{m.chart.closing}</th>
        </tr>
      </thead>
      <tbody>
        {series.points.map((p) => (
          <tr key={p.date} data-testid="chart-point">
            <th scope="row">{longLabel(p.date)}</th>
            <td>{formatRupiah(p.total_in)}</td>
            <td>{formatRupiah(p.total_out)}</td>
            <td>{formatRupiah(p.balance)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

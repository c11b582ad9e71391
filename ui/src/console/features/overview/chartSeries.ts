import type { FlowPoint } from '@/components/charts/FlowChart';
import type { DailyRow } from '../../api/types';

/** Beyond this many days a bar per day is too thin to read: the chart shows months instead. */
export const MONTHS_AFTER_DAYS = 120;

export type Grouping = 'day' | 'month';

/** What the chart draws: one point per business date or per month, oldest first. */
export interface ChartSeries {
  grouping: Grouping;
  points: FlowPoint[];
}

const DAY_MS = 86_400_000;

/** Calendar days from `first` to `last` (`YYYY-MM-DD`), both counted. */
export function spanDays(first: string, last: string): number {
  return Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Money in and out summed per month (`YYYY-MM`); the month's balance is the closing balance
 * of its last listed day. `rows` must be oldest first. */
export function groupByMonth(rows: DailyRow[]): FlowPoint[] {
  const months: FlowPoint[] = [];
  for (const r of rows) {
    const month = r.date.slice(0, 7);
    const last = months[months.length - 1];
    if (last?.date === month) {
      last.total_in += r.total_in;
      last.total_out += r.total_out;
      last.balance = r.balance;
    } else {
      months.push({ date: month, total_in: r.total_in, total_out: r.total_out, balance: r.balance });
    }
  }
  return months;
}

/** The days of a period as the chart shows them: by day up to `MONTHS_AFTER_DAYS` days from the
 * first to the last date, by month beyond. */
export function chartSeries(rows: DailyRow[]): ChartSeries {
  const sorted = [...rows].sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0]?.date;
  const last = sorted[sorted.length - 1]?.date;
  if (first && last && spanDays(first, last) > MONTHS_AFTER_DAYS) {
    return { grouping: 'month', points: groupByMonth(sorted) };
  }
  const points = sorted.map(({ date, total_in, total_out, balance }) => ({ date, total_in, total_out, balance }));
  return { grouping: 'day', points };
}

/** A point's label on the axis: `dd/mm` for a day, `mm/yyyy` for a month. */
export function shortLabel(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? `${d}/${m}` : `${m}/${y}`;
}

/** A point's full label (tooltip, caption, table): `dd/mm/yyyy` for a day, `mm/yyyy` for a
 * month. */
export function longLabel(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? `${d}/${m}/${y}` : `${m}/${y}`;
}

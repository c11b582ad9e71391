import { describe, expect, it } from 'vitest';
import type { DailyRow } from '../../api/types';
import { chartSeries, groupByMonth, longLabel, shortLabel, spanDays } from './chartSeries';

const day = (date: string, total_in: number, total_out: number, balance: number): DailyRow => ({
  date,
  total_in,
  total_out,
  balance,
  voided_count: 0,
  voided_total: 0,
});

/** `n` consecutive days from `first`, each 1.000 in, 400 out, the balance running on. */
function days(first: string, n: number): DailyRow[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    day(new Date(start + i * 86_400_000).toISOString().slice(0, 10), 1_000, 400, (i + 1) * 600),
  );
}

describe('groupByMonth', () => {
  it('sums in and out per month and closes each month on its last day’s balance', () => {
    const rows = [
      day('2026-01-30', 100_000, 20_000, 5_080_000),
      day('2026-01-31', 50_000, 0, 5_130_000),
      day('2026-02-01', 0, 30_000, 5_100_000),
      day('2026-02-28', 10_000, 1_000, 5_109_000),
      day('2026-03-01', 0, 0, 5_109_000),
    ];
    expect(groupByMonth(rows)).toEqual([
      { date: '2026-01', total_in: 150_000, total_out: 20_000, balance: 5_130_000 },
      { date: '2026-02', total_in: 10_000, total_out: 31_000, balance: 5_109_000 },
      { date: '2026-03', total_in: 0, total_out: 0, balance: 5_109_000 },
    ]);
  });
});

describe('chartSeries', () => {
  it('keeps one point per day up to 120 days, oldest first', () => {
    const rows = days('2026-01-01', 120);
    const series = chartSeries([...rows].reverse());
    expect(series.grouping).toBe('day');
    expect(series.points).toHaveLength(120);
    expect(series.points[0]).toEqual({ date: '2026-01-01', total_in: 1_000, total_out: 400, balance: 600 });
    expect(series.points[119]?.date).toBe('2026-04-30');
  });

  it('groups by month beyond 120 days, losing no money', () => {
    const rows = days('2026-01-01', 121);
    const series = chartSeries(rows);
    expect(series.grouping).toBe('month');
    expect(series.points.map((p) => p.date)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']);
    expect(series.points[1]).toEqual({ date: '2026-02', total_in: 28_000, total_out: 11_200, balance: 59 * 600 });
    expect(series.points[4]).toEqual({ date: '2026-05', total_in: 1_000, total_out: 400, balance: 121 * 600 });
    const sum = (list: { total_in: number; total_out: number }[]) =>
      list.reduce((s, p) => s + p.total_in - p.total_out, 0);
    expect(sum(series.points)).toBe(sum(rows));
  });

  it('has nothing to draw for an empty answer', () => {
    expect(chartSeries([])).toEqual({ grouping: 'day', points: [] });
  });

  it('counts the days of a span across months and years', () => {
    expect(spanDays('2026-01-01', '2026-01-01')).toBe(1);
    expect(spanDays('2025-12-31', '2026-03-01')).toBe(61);
  });
});

describe('labels', () => {
  it('reads dd/mm on the axis and dd/mm/yyyy in full; a month is mm/yyyy', () => {
    expect(shortLabel('2026-03-07')).toBe('07/03');
    expect(longLabel('2026-03-07')).toBe('07/03/2026');
    expect(shortLabel('2026-03')).toBe('03/2026');
    expect(longLabel('2026-03')).toBe('03/2026');
  });
});

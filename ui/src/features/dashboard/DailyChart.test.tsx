import { describe, expect, it } from 'vitest';
import type { DailyRow } from '@/api/types';
import { renderWithApp } from '@/test/render';
import { DailyChart } from './DashboardCharts';

const day = (date: string, total_in: number, total_out: number, balance: number) =>
  ({ date, total_in, total_out, balance }) as DailyRow;

describe('DailyChart', () => {
  it('puts the balance on its own axis, so a large balance does not flatten the day bars', () => {
    const rows = [day('2026-12-01', 300_000, 120_000, 40_000_000), day('2026-12-02', 250_000, 90_000, 40_160_000)];
    const { container } = renderWithApp(<DailyChart rows={rows} size={{ width: 800, height: 260 }} />);
    const axes = container.querySelectorAll('.recharts-yAxis');
    expect(axes).toHaveLength(2);
    // The right-hand axis carries the balance line's scale.
    const lines = container.querySelectorAll('.recharts-yAxis line.recharts-cartesian-axis-line');
    const x = (l: Element) => Number(l.getAttribute('x1'));
    expect(lines).toHaveLength(2);
    expect(x(lines[1]!)).toBeGreaterThan(x(lines[0]!));
  });
});

import { describe, expect, it } from 'vitest';
import type { CategoryTotal } from '@/api/types';
import { categoryBars } from './DashboardCharts';

const out = (category: string, total: number): CategoryTotal => ({ category, type: 'OUT', total, count: 1 });

describe('categoryBars', () => {
  it('names the largest categories and sums the rest as one bar, losing no money', () => {
    const rows = Array.from({ length: 12 }, (_, i) => out(`Kategori ${i + 1}`, (12 - i) * 1_000));
    rows.push({ category: 'Kategori 1', type: 'IN', total: 500, count: 1 });
    const bars = categoryBars(rows, 10, 'Lainnya');
    expect(bars).toHaveLength(10);
    expect(bars[0]).toEqual({ category: 'Kategori 1', in: 500, out: 12_000 });
    expect(bars[9]).toEqual({ category: 'Lainnya', in: 0, out: 3_000 + 2_000 + 1_000 });
    const sum = (list: { in: number; out: number }[]) => list.reduce((s, b) => s + b.in + b.out, 0);
    expect(sum(bars)).toBe(rows.reduce((s, r) => s + r.total, 0));
  });

  it('keeps every category when there are few', () => {
    expect(categoryBars([out('Gaji', 5), out('Sewa', 7)], 10, 'Lainnya').map((b) => b.category)).toEqual([
      'Sewa',
      'Gaji',
    ]);
  });
});

// Loaded on demand (React.lazy): Recharts is most of the app's weight and is not needed to
// record an entry.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CategoryTotal, DailyRow } from '@/api/types';
import { EXPENSE, FlowChart, INCOME, tooltipMoney } from '@/components/charts/FlowChart';
import { formatRupiahCompact } from '@/lib/money';
import { formatShortDate } from '@/lib/time';
import { useI18n } from '@/i18n';

/** Income and expenses per business date as bars, and the closing balance as a line on its own
 * axis (the shared `FlowChart` with the cashier's words and `1 Des` dates). */
export function DailyChart({ rows, size }: { rows: DailyRow[]; size?: { width: number; height: number } }) {
  const { m, locale } = useI18n();
  return (
    <FlowChart
      rows={rows}
      labels={{ in: m.common.in, out: m.common.out, balance: m.dashboard.closingBalance }}
      tick={(d) => formatShortDate(d, locale)}
      size={size}
    />
  );
}

/** How many categories the chart names; the rest are summed as one "Lainnya" bar. */
export const CHART_CATEGORIES = 10;

export interface CategoryBar {
  category: string;
  in: number;
  out: number;
}

/** Income and expenses per category, largest first; beyond `limit` categories the rest are
 * one bar named `other` with their totals, so no money drops out of the chart. */
export function categoryBars(rows: CategoryTotal[], limit: number, other: string): CategoryBar[] {
  const merged = new Map<string, CategoryBar>();
  for (const r of rows) {
    const row = merged.get(r.category) ?? { category: r.category, in: 0, out: 0 };
    if (r.type === 'IN') row.in += r.total;
    else row.out += r.total;
    merged.set(r.category, row);
  }
  const sorted = [...merged.values()].sort((a, b) => b.in + b.out - (a.in + a.out));
  if (sorted.length <= limit) return sorted;
  const rest = sorted
    .slice(limit - 1)
    .reduce((sum, r) => ({ category: other, in: sum.in + r.in, out: sum.out + r.out }), {
      category: other,
      in: 0,
      out: 0,
    });
  return [...sorted.slice(0, limit - 1), rest];
}

/** Totals by category: income and expenses per category, largest first (the ten largest, the
 * rest as "Lainnya"). */
export function CategoryChart({ rows }: { rows: CategoryTotal[] }) {
  const { m, lang } = useI18n();
  const data = categoryBars(rows, CHART_CATEGORIES, m.dashboard.otherCategories);
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 40 + 50)}>
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={(v: number) => formatRupiahCompact(v, lang)} fontSize={12} />
        <YAxis type="category" dataKey="category" width={120} fontSize={12} />
        <Tooltip formatter={tooltipMoney} />
        <Legend />
        <Bar dataKey="in" name={m.common.in} fill={INCOME} isAnimationActive={false} radius={[0, 3, 3, 0]} />
        <Bar dataKey="out" name={m.common.out} fill={EXPENSE} isAnimationActive={false} radius={[0, 3, 3, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

// Loaded on demand (React.lazy): Recharts is most of the app's weight and is not needed to
// record an entry.
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CategoryTotal, DailyRow } from '@/api/types';
import { formatRupiah, formatRupiahCompact } from '@/lib/money';
import { formatShortDate } from '@/lib/time';
import { useI18n } from '@/i18n';

const INCOME = '#047857';
const EXPENSE = '#b91c1c';
const BALANCE = '#0f766e';

const money = (v: unknown) => formatRupiah(Number(v));

/** Income and expenses per business date, with the closing balance as a line. */
export function DailyChart({ rows }: { rows: DailyRow[] }) {
  const { m, locale } = useI18n();
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => formatShortDate(d, locale)} fontSize={12} />
        <YAxis tickFormatter={formatRupiahCompact} width={80} fontSize={12} />
        <Tooltip formatter={money} labelFormatter={(d) => formatShortDate(String(d), locale)} />
        <Legend />
        <Bar dataKey="total_in" name={m.common.in} fill={INCOME} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Bar dataKey="total_out" name={m.common.out} fill={EXPENSE} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line
          dataKey="balance"
          name={m.dashboard.closingBalance}
          stroke={BALANCE}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Totals by category: income and expenses per category, largest first (top 10). */
export function CategoryChart({ rows }: { rows: CategoryTotal[] }) {
  const { m } = useI18n();
  const merged = new Map<string, { category: string; in: number; out: number }>();
  for (const r of rows) {
    const row = merged.get(r.category) ?? { category: r.category, in: 0, out: 0 };
    if (r.type === 'IN') row.in += r.total;
    else row.out += r.total;
    merged.set(r.category, row);
  }
  const data = [...merged.values()].sort((a, b) => b.in + b.out - (a.in + a.out)).slice(0, 10);
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 40 + 50)}>
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={formatRupiahCompact} fontSize={12} />
        <YAxis type="category" dataKey="category" width={120} fontSize={12} />
        <Tooltip formatter={money} />
        <Legend />
        <Bar dataKey="in" name={m.common.in} fill={INCOME} isAnimationActive={false} radius={[0, 3, 3, 0]} />
        <Bar dataKey="out" name={m.common.out} fill={EXPENSE} isAnimationActive={false} radius={[0, 3, 3, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

// Loaded on demand (React.lazy) by both apps: Recharts is most of the bundle's weight.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useCatalog } from '@/i18n/core';
import { formatRupiah, formatRupiahCompact } from '@/lib/money';

export const INCOME = '#047857';
export const EXPENSE = '#b91c1c';
export const BALANCE = '#0f766e';

/** Money as `Rp 1.500.000` in a tooltip. */
export const tooltipMoney = (v: unknown) => formatRupiah(Number(v));

/** One bar group of the chart: `date` is a business date or whatever period the caller groups
 * by (a month `YYYY-MM`); `balance` is the closing balance at its end. */
export interface FlowPoint {
  date: string;
  total_in: number;
  total_out: number;
  balance: number;
}

/** Money in and out per point as bars on the left axis, and the closing balance as a line on its
 * own axis on the right (a balance in the millions would otherwise flatten the bars). The words
 * and date formats come from the caller, so each app keeps its own. `size` fixes the chart's
 * size instead of filling its container (tests). */
export function FlowChart({
  rows,
  labels,
  tick,
  tooltipLabel = tick,
  size,
}: {
  rows: FlowPoint[];
  labels: { in: string; out: string; balance: string };
  tick: (date: string) => string;
  tooltipLabel?: (date: string) => string;
  size?: { width: number; height: number };
}) {
  const { lang } = useCatalog();
  const compact = (v: number) => formatRupiahCompact(v, lang);
  const chart = (
    <ComposedChart
      data={rows}
      margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
      width={size?.width}
      height={size?.height}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="date" tickFormatter={tick} fontSize={12} />
      <YAxis yAxisId="flows" tickFormatter={compact} width={80} fontSize={12} />
      <YAxis yAxisId="balance" orientation="right" tickFormatter={compact} width={96} fontSize={12} stroke={BALANCE} />
      <Tooltip formatter={tooltipMoney} labelFormatter={(d) => tooltipLabel(String(d))} />
      <Legend />
      <Bar
        yAxisId="flows"
        dataKey="total_in"
        name={labels.in}
        fill={INCOME}
        radius={[3, 3, 0, 0]}
        isAnimationActive={false}
      />
      <Bar
        yAxisId="flows"
        dataKey="total_out"
        name={labels.out}
        fill={EXPENSE}
        radius={[3, 3, 0, 0]}
        isAnimationActive={false}
      />
      <Line
        yAxisId="balance"
        dataKey="balance"
        name={labels.balance}
        stroke={BALANCE}
        strokeWidth={2}
        dot={false}
        isAnimationActive={false}
      />
    </ComposedChart>
  );
  return size ? (
    chart
  ) : (
    <ResponsiveContainer width="100%" height={260}>
      {chart}
    </ResponsiveContainer>
  );
}

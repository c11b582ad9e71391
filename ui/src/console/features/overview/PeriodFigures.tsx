import { Money } from '@/components/Money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { fill } from '@/i18n/core';
import { formatRupiah } from '@/lib/money';
import type { Figures } from '../../api/types';
import { useI18n } from '../../i18n';

/** In, out and net of the period for the whole business, with entries and voids. */
export function PeriodFigures({ total }: { total: Figures }) {
  const { m } = useI18n();
  const cards = [
    { key: 'in', title: m.overview.in, body: <Money amount={total.total_in} type="IN" /> },
    { key: 'out', title: m.overview.out, body: <Money amount={total.total_out} type="OUT" /> },
    { key: 'net', title: m.overview.net, body: <Money amount={total.balance} /> },
  ];
  return (
    <div className="grid gap-3 sm:grid-cols-3" data-testid="period-figures">
      {cards.map((c) => (
        <Card key={c.key} data-testid={`figure-${c.key}`}>
          <CardHeader>
            <CardTitle>{c.title}</CardTitle>
          </CardHeader>
          <CardContent className="text-xl font-semibold">{c.body}</CardContent>
        </Card>
      ))}
      <p className="text-xs text-muted-foreground sm:col-span-3" data-testid="period-counts">
        {fill(m.overview.counts, {
          count: total.transaction_count,
          voided: total.voided_count,
          voidedTotal: formatRupiah(total.voided_total),
        })}
      </p>
    </div>
  );
}

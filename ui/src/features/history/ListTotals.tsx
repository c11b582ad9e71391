import type { ReactNode } from 'react';
import type { Summary } from '@/api/types';
import { Money } from '@/components/Money';
import { fill, useI18n } from '@/i18n';
import { formatRupiah } from '@/lib/money';

function Term({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="flex items-baseline gap-2">
      <dt className="text-muted-foreground">{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** What the filtered list adds up to over all its pages: in, out and net, and the cancelled
 * pairs apart (they count in neither). */
export function ListTotals({ totals }: { totals: Summary }) {
  const { m } = useI18n();
  return (
    <dl className="flex flex-wrap items-baseline gap-x-6 gap-y-1 border-b px-4 py-3 text-sm" data-testid="list-totals">
      <Term label={m.history.sumIn} testId="list-total-in">
        <Money amount={totals.total_in} type="IN" className="font-semibold" />
      </Term>
      <Term label={m.history.sumOut} testId="list-total-out">
        <Money amount={totals.total_out} type="OUT" className="font-semibold" />
      </Term>
      <Term label={m.history.sumNet} testId="list-net">
        <Money
          amount={totals.balance}
          className={totals.balance < 0 ? 'font-semibold text-destructive' : 'font-semibold'}
        />
      </Term>
      {totals.voided_count > 0 ? (
        <div className="text-muted-foreground" data-testid="list-voided">
          {fill(m.dashboard.voidedDetail, { count: totals.voided_count, amount: formatRupiah(totals.voided_total) })}
        </div>
      ) : null}
    </dl>
  );
}

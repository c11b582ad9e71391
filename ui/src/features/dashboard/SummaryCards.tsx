import { ArrowDownLeft, ArrowUpRight, Receipt, Wallet } from 'lucide-react';
import type { CSSProperties, ReactNode } from 'react';
import type { Summary } from '@/api/types';
import { Balance, Money } from '@/components/Money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { fill, formatCount, useI18n } from '@/i18n';
import { formatRupiah } from '@/lib/money';

function Stat({
  title,
  icon,
  testId,
  children,
  hint,
  note,
  chars,
}: {
  /** How many characters the figure has (it is sized to fit them). */
  chars?: number;
  title: string;
  icon: ReactNode;
  testId: string;
  children: ReactNode;
  hint?: string;
  /** A second line under the hint. */
  note?: ReactNode;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>{title}</CardTitle>
        {icon}
      </CardHeader>
      <CardContent className="@container">
        {/* The figure is sized to its card's width (container query units) for its number of
            characters, so Rp 29.182.437.000 or a negative balance fits a quarter of a 1366 px
            screen; short figures keep the full size. */}
        <div
          className="font-semibold [font-size:clamp(0.8rem,calc(100cqi/(var(--chars)*0.72)),1.5rem)]"
          style={{ '--chars': Math.max(chars ?? 12, 12) } as CSSProperties}
          data-testid={`${testId}-value`}
        >
          {children}
        </div>
        {hint ? <p className="mt-1 text-xs text-muted-foreground">{hint}</p> : null}
        {note ? <p className="mt-0.5 text-xs text-muted-foreground">{note}</p> : null}
      </CardContent>
    </Card>
  );
}

/** Saldo Kas (up to the period's end) and the period's income, expenses and count. */
export function SummaryCards({ balance, period }: { balance: Summary | undefined; period: Summary | undefined }) {
  const { m } = useI18n();
  const wait = <Skeleton className="h-8 w-32" />;
  return (
    <div className="grid grid-cols-2 gap-4 xl:grid-cols-4">
      <Stat
        title={m.dashboard.balance}
        testId="balance"
        chars={balance ? formatRupiah(balance.balance).length : undefined}
        icon={<Wallet className="size-5 text-primary" aria-hidden />}
        hint={m.dashboard.balanceHint}
      >
        {balance ? <Balance amount={balance.balance} /> : wait}
      </Stat>
      <Stat
        title={m.dashboard.totalIn}
        testId="total-in"
        chars={period ? formatRupiah(period.total_in).length : undefined}
        icon={<ArrowDownLeft className="size-5 text-income" aria-hidden />}
      >
        {period ? <Money amount={period.total_in} type="IN" /> : wait}
      </Stat>
      <Stat
        title={m.dashboard.totalOut}
        testId="total-out"
        chars={period ? formatRupiah(period.total_out).length + 1 : undefined}
        icon={<ArrowUpRight className="size-5 text-expense" aria-hidden />}
      >
        {period ? <Money amount={period.total_out} type="OUT" /> : wait}
      </Stat>
      <Stat
        title={m.dashboard.count}
        testId="count"
        icon={<Receipt className="size-5 text-muted-foreground" aria-hidden />}
        hint={period ? fill(m.dashboard.countDetail, { in: period.count_in, out: period.count_out }) : undefined}
        note={
          period && period.voided_count > 0 ? (
            <span data-testid="voided">
              {fill(m.dashboard.voidedDetail, {
                count: period.voided_count,
                amount: formatRupiah(period.voided_total),
              })}
            </span>
          ) : undefined
        }
      >
        {period ? <span className="tabular">{formatCount(period.transaction_count)}</span> : wait}
      </Stat>
    </div>
  );
}

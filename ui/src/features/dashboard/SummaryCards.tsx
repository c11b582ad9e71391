import { ArrowDownLeft, ArrowUpRight, Receipt, Wallet } from 'lucide-react';
import type { ReactNode } from 'react';
import type { Summary } from '@/api/types';
import { Money } from '@/components/Money';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { fill, useI18n } from '@/i18n';

function Stat({
  title,
  icon,
  testId,
  children,
  hint,
}: {
  title: string;
  icon: ReactNode;
  testId: string;
  children: ReactNode;
  hint?: string;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>{title}</CardTitle>
        {icon}
      </CardHeader>
      <CardContent>
        <div className="text-2xl font-semibold" data-testid={`${testId}-value`}>
          {children}
        </div>
        {hint ? <p className="mt-1 text-xs text-muted-foreground">{hint}</p> : null}
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
        icon={<Wallet className="size-5 text-primary" aria-hidden />}
        hint={m.dashboard.balanceHint}
      >
        {balance ? <Money amount={balance.balance} /> : wait}
      </Stat>
      <Stat
        title={m.dashboard.totalIn}
        testId="total-in"
        icon={<ArrowDownLeft className="size-5 text-income" aria-hidden />}
      >
        {period ? <Money amount={period.total_in} type="IN" /> : wait}
      </Stat>
      <Stat
        title={m.dashboard.totalOut}
        testId="total-out"
        icon={<ArrowUpRight className="size-5 text-expense" aria-hidden />}
      >
        {period ? <Money amount={period.total_out} type="OUT" /> : wait}
      </Stat>
      <Stat
        title={m.dashboard.count}
        testId="count"
        icon={<Receipt className="size-5 text-muted-foreground" aria-hidden />}
        hint={period ? fill(m.dashboard.countDetail, { in: period.count_in, out: period.count_out }) : undefined}
      >
        {period ? <span className="tabular">{period.transaction_count}</span> : wait}
      </Stat>
    </div>
  );
}

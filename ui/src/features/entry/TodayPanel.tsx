import { Balance, Money } from '@/components/Money';
import { ErrorState, Empty, Loading } from '@/components/States';
import { SyncStateBadge } from '@/components/SyncStateBadge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useSummary } from '@/hooks/useSummary';
import { useTransactions } from '@/hooks/useTransactions';
import { useI18n } from '@/i18n';
import { businessDate, formatDateTime } from '@/lib/time';

const RECENT = { page: 1, limit: 5 };

/** Beside the form: the cash balance, today's totals and the last few entries. */
export function TodayPanel() {
  const { m, locale } = useI18n();
  const today = businessDate();
  const all = useSummary({});
  const day = useSummary({ from: today, to: today });
  const recent = useTransactions(RECENT);
  return (
    <div className="grid content-start gap-4">
      <Card data-testid="entry-balance">
        <CardHeader>
          <CardTitle>{m.dashboard.balance}</CardTitle>
        </CardHeader>
        <CardContent>
          <div className="text-3xl font-semibold" data-testid="entry-balance-value">
            {all.data ? <Balance amount={all.data.balance} /> : all.isError ? '—' : <Skeleton className="h-9 w-40" />}
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
            <div>
              <dt className="text-muted-foreground">
                {m.common.in} · {m.entry.today}
              </dt>
              <dd data-testid="today-in">{day.data ? <Money amount={day.data.total_in} type="IN" /> : '—'}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">
                {m.common.out} · {m.entry.today}
              </dt>
              <dd data-testid="today-out">{day.data ? <Money amount={day.data.total_out} type="OUT" /> : '—'}</dd>
            </div>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{m.history.title}</CardTitle>
        </CardHeader>
        <CardContent>
          {recent.isPending ? (
            <Loading />
          ) : recent.isError ? (
            <ErrorState error={recent.error} onRetry={() => void recent.refetch()} />
          ) : recent.data.items.length === 0 ? (
            <Empty>{m.dashboard.noData}</Empty>
          ) : (
            <ul className="divide-y text-sm" data-testid="recent-list">
              {recent.data.items.map((tx) => (
                <li key={tx.id} className="flex items-center justify-between gap-2 py-2">
                  <div className="min-w-0">
                    <div className="truncate font-medium">{tx.category}</div>
                    {tx.description ? (
                      <div className="truncate text-xs" title={tx.description} data-testid="recent-description">
                        {tx.description}
                      </div>
                    ) : null}
                    <div className="text-xs text-muted-foreground">{formatDateTime(tx.occurred_at, locale)}</div>
                  </div>
                  <div className="flex flex-col items-end gap-1">
                    <Money amount={tx.amount} type={tx.type} />
                    <SyncStateBadge tx={tx} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

import type { SyncState } from '@/api/types';
import { Money } from '@/components/Money';
import { Empty, ErrorState, Loading } from '@/components/States';
import { SyncStateBadge } from '@/components/SyncStateBadge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { useTransactions } from '@/hooks/useTransactions';
import { navigate } from '@/app/router';
import { fill, useI18n } from '@/i18n';
import { formatDateTime } from '@/lib/time';

/** The entries still waiting for HQ (or refused by it), newest first. */
export function OutboxList({ state, title }: { state: Extract<SyncState, 'pending' | 'rejected'>; title: string }) {
  const { m, locale } = useI18n();
  const list = useTransactions({ page: 1, limit: 10, sync_state: state });
  const historyLink = `/riwayat?sync_state=${state}`;
  let body;
  if (list.isPending) body = <Loading />;
  else if (list.isError) body = <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  else if (list.data.items.length === 0) body = <Empty>{m.sync.nothingPending}</Empty>;
  else
    body = (
      <ul className="divide-y text-sm" data-testid={`outbox-${state}`}>
        {list.data.items.map((tx) => (
          <li key={tx.id} className="flex items-center justify-between gap-3 py-2" data-testid="outbox-row">
            <div className="min-w-0">
              <div className="truncate font-medium">{tx.category}</div>
              <div className="text-xs text-muted-foreground">{formatDateTime(tx.occurred_at, locale)}</div>
            </div>
            <div className="flex flex-col items-end gap-1">
              <Money amount={tx.amount} type={tx.type} />
              <SyncStateBadge tx={tx} withReason />
            </div>
          </li>
        ))}
        {list.data.total > list.data.items.length ? (
          <li className="py-2 text-xs">
            <a
              href={historyLink}
              className="text-primary underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              data-testid="outbox-more"
              onClick={(e) => {
                e.preventDefault();
                navigate(historyLink);
              }}
            >
              {fill(m.sync.moreInHistory, { n: list.data.total - list.data.items.length })}
            </a>
          </li>
        ) : null}
      </ul>
    );
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base text-foreground">{title}</CardTitle>
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}

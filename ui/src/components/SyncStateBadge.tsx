import { Check, Clock, XCircle } from 'lucide-react';
import type { Transaction } from '@/api/types';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/i18n';

/** Menunggu / Terkirim / Ditolak for one entry; a rejection carries its reason as a tooltip. */
export function SyncStateBadge({ tx, withReason = false }: { tx: Transaction; withReason?: boolean }) {
  const { m } = useI18n();
  const look = {
    pending: { variant: 'warning', Icon: Clock },
    synced: { variant: 'success', Icon: Check },
    rejected: { variant: 'destructive', Icon: XCircle },
  } as const;
  const { variant, Icon } = look[tx.sync_state];
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge variant={variant} title={tx.sync_error ?? undefined} data-testid="sync-state" data-state={tx.sync_state}>
        <Icon aria-hidden />
        {m.syncState[tx.sync_state]}
      </Badge>
      {withReason && tx.sync_state === 'rejected' && tx.sync_error ? (
        <span className="text-xs text-destructive">{tx.sync_error}</span>
      ) : null}
    </span>
  );
}

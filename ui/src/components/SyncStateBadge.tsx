import { Check, Clock, XCircle } from 'lucide-react';
import type { Transaction } from '@/api/types';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/i18n';

/** Why HQ refused an entry, its code in the user's language and HQ's reason beside it. */
export function useRefusalText() {
  const { m } = useI18n();
  return (tx: Transaction): string | null => {
    if (!tx.sync_error) return null;
    const code = tx.sync_error_code ?? '';
    const known = (m.rejection as Record<string, string>)[code];
    return known ? `${known} (${tx.sync_error_reason ?? ''})` : tx.sync_error;
  };
}

/** Menunggu / Terkirim / Ditolak for one entry; a rejection carries its reason as a tooltip. */
export function SyncStateBadge({ tx, withReason = false }: { tx: Transaction; withReason?: boolean }) {
  const { m } = useI18n();
  const refusal = useRefusalText()(tx);
  const look = {
    pending: { variant: 'warning', Icon: Clock },
    synced: { variant: 'success', Icon: Check },
    rejected: { variant: 'destructive', Icon: XCircle },
  } as const;
  const { variant, Icon } = look[tx.sync_state];
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge variant={variant} title={refusal ?? undefined} data-testid="sync-state" data-state={tx.sync_state}>
        <Icon aria-hidden />
        {m.syncState[tx.sync_state]}
      </Badge>
      {withReason && tx.sync_state === 'rejected' && refusal ? (
        <span className="text-xs text-destructive" data-testid="refusal">
          {refusal}
        </span>
      ) : null}
    </span>
  );
}

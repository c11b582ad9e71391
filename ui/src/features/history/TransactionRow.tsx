import { Ban, Undo2 } from 'lucide-react';
import type { Transaction } from '@/api/types';
import { Money } from '@/components/Money';
import { SyncStateBadge } from '@/components/SyncStateBadge';
import { Badge } from '@/components/ui/badge';
import { fill, useI18n } from '@/i18n';
import { cn } from '@/lib/cn';
import { formatDateTime } from '@/lib/time';

export const shortId = (id: string) => id.slice(0, 8);

/** One entry of the list; a click anywhere on it opens its detail (its category is the button
 * the keyboard reaches). Voided entries are struck through, voids say what they reverse. */
export function TransactionRow({
  tx,
  selected,
  onSelect,
}: {
  tx: Transaction;
  selected: boolean;
  onSelect: () => void;
}) {
  const { m, locale } = useI18n();
  const voided = tx.voided_by !== null;
  return (
    <tr
      className={cn(
        'cursor-pointer border-b last:border-0 hover:bg-muted/50',
        selected && 'bg-accent',
        voided && 'text-muted-foreground',
      )}
      data-testid="tx-row"
      data-id={tx.id}
      data-voided={voided || undefined}
      aria-selected={selected}
      onClick={onSelect}
    >
      <td className="px-3 py-2 align-top text-sm">{formatDateTime(tx.occurred_at, locale)}</td>
      <td className="min-w-0 px-3 py-2">
        <button
          type="button"
          data-row-open
          onClick={(e) => {
            e.stopPropagation();
            onSelect();
          }}
          className="rounded text-left text-sm font-medium hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          aria-label={`${m.history.openDetail}: ${tx.category}`}
        >
          <span className={cn(voided && 'line-through')}>{tx.category}</span>
        </button>
        {tx.description ? (
          <div className="max-w-80 truncate text-xs text-muted-foreground" title={tx.description}>
            {tx.description}
          </div>
        ) : null}
        <div className="mt-0.5 flex flex-wrap gap-1">
          {voided ? (
            <Badge variant="secondary" data-testid="voided-badge">
              <Ban aria-hidden />
              {m.history.voided}
            </Badge>
          ) : null}
          {tx.reverses_id ? (
            <Badge variant="outline" title={fill(m.history.reverses, { id: tx.reverses_id })} data-testid="void-badge">
              <Undo2 aria-hidden />
              {m.history.voidEntry} · {shortId(tx.reverses_id)}
            </Badge>
          ) : null}
        </div>
      </td>
      {/* The name the channel had when the entry was made, even if HQ renamed it since. */}
      <td className="whitespace-nowrap px-3 py-2 align-top text-sm" data-testid="tx-channel">
        {tx.channel_name}
      </td>
      <td className={cn('px-3 py-2 text-right text-sm font-medium', voided && 'line-through')}>
        <Money amount={tx.amount} type={tx.type} />
      </td>
      <td className="px-3 py-2">
        <SyncStateBadge tx={tx} withReason />
      </td>
    </tr>
  );
}

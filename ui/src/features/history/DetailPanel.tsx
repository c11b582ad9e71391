import { Ban, X } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { cn } from '@/lib/cn';
import { Money } from '@/components/Money';
import { ErrorState, Loading } from '@/components/States';
import { SyncStateBadge, useRefusalText } from '@/components/SyncStateBadge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { useTransaction } from '@/hooks/useTransaction';
import { fill, useI18n } from '@/i18n';
import { formatDateTime } from '@/lib/time';
import { shortId } from './TransactionRow';
import { VoidDialog } from './VoidDialog';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function LinkTo({ id, text, onSelect }: { id: string; text: string; onSelect: (id: string) => void }) {
  return (
    <button
      type="button"
      className="text-left text-primary underline-offset-2 hover:underline"
      onClick={() => onSelect(id)}
    >
      {fill(text, { id: shortId(id) })}
    </button>
  );
}

/** Everything about one entry, with its void link and the Batalkan action. */
export function DetailPanel({
  id,
  onSelect,
  onClose,
}: {
  id: string | null;
  onSelect: (id: string) => void;
  /** Closes the panel: below 1280 px it lies over the list. */
  onClose?: () => void;
}) {
  const { m, locale } = useI18n();
  const refusalText = useRefusalText();
  const query = useTransaction(id);
  const [voiding, setVoiding] = useState(false);
  // Esc closes the panel (not while the void dialog is open: Esc closes that first).
  useEffect(() => {
    if (!id || !onClose || voiding) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, onClose, voiding]);

  let body: ReactNode;
  if (id === null) body = <p className="text-sm text-muted-foreground">{m.history.detailEmpty}</p>;
  else if (query.isPending) body = <Loading />;
  else if (query.isError) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else {
    const tx = query.data;
    const canVoid = tx.voided_by === null && tx.reverses_id === null;
    body = (
      <>
        <dl className="divide-y" data-testid="detail">
          <Row label={m.history.amount}>
            <Money amount={tx.amount} type={tx.type} className="text-lg font-semibold" />
          </Row>
          <Row label={m.history.type}>{tx.type === 'IN' ? m.common.in : m.common.out}</Row>
          <Row label={m.history.category}>{tx.category}</Row>
          <Row label={m.common.channel}>
            <span data-testid="detail-channel">{tx.channel_name}</span>
          </Row>
          <Row label={m.history.description}>{tx.description || '—'}</Row>
          <Row label={m.history.date}>{formatDateTime(tx.occurred_at, locale)}</Row>
          <Row label={m.history.createdAt}>{formatDateTime(tx.created_at, locale)}</Row>
          {tx.recorded_by_name ? (
            <Row label={m.history.recordedBy}>
              <span data-testid="detail-recorded-by">{tx.recorded_by_name}</span>
            </Row>
          ) : null}
          {tx.approved_by_name ? (
            <Row label={m.history.approvedBy}>
              <span data-testid="detail-approved-by">{tx.approved_by_name}</span>
            </Row>
          ) : null}
          <Row label={m.history.syncState}>
            <SyncStateBadge tx={tx} />
          </Row>
          {tx.synced_at ? <Row label={m.history.syncedAt}>{formatDateTime(tx.synced_at, locale)}</Row> : null}
          {tx.sync_error ? <Row label={m.history.rejectedReason}>{refusalText(tx)}</Row> : null}
          {tx.voided_by ? (
            <Row label={m.history.voided}>
              <LinkTo id={tx.voided_by} text={m.history.voidedBy} onSelect={onSelect} />
            </Row>
          ) : null}
          {tx.reverses_id ? (
            <Row label={m.history.voidEntry}>
              <LinkTo id={tx.reverses_id} text={m.history.reverses} onSelect={onSelect} />
            </Row>
          ) : null}
          <Row label={m.history.id}>
            <code className="text-xs">{tx.id}</code>
          </Row>
        </dl>
        {canVoid ? (
          <Button
            variant="destructive"
            className="mt-4 w-full"
            onClick={() => setVoiding(true)}
            data-testid="void-open"
          >
            <Ban aria-hidden />
            {m.history.voidAction}
          </Button>
        ) : null}
        {/* Stays mounted after the void: the entry then has voided_by, and the dialog still has
            to close and announce the result. */}
        <VoidDialog tx={tx} open={voiding} onOpenChange={setVoiding} />
      </>
    );
  }

  return (
    <Card
      // Beside the list from 1280 px; narrower, over the list's right side, so the list does not
      // jump and the row stays in view.
      className={cn(
        'self-start xl:sticky xl:top-4',
        id === null
          ? 'hidden xl:block'
          : 'fixed inset-y-0 right-0 z-40 w-[min(24rem,100vw)] overflow-y-auto rounded-none shadow-2xl xl:static xl:inset-auto xl:w-auto xl:overflow-visible xl:rounded-lg xl:shadow-sm',
      )}
      aria-live="polite"
      data-testid="detail-panel"
    >
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle className="text-base text-foreground">{m.history.detail}</CardTitle>
        {id !== null && onClose ? (
          <Button variant="ghost" size="icon" className="size-8" aria-label={m.common.close} onClick={onClose}>
            <X aria-hidden />
          </Button>
        ) : null}
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}

import { Loader2, RefreshCw, RotateCcw } from 'lucide-react';
import type { SystemStatus } from '@/api/types';
import { SyncBadge } from '@/components/SyncBadge';
import { useErrorText } from '@/components/States';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { toast } from '@/components/ui/use-toast';
import { useRetryRejected, useSyncNow } from '@/hooks/useSyncActions';
import { fill, formatCount, useI18n } from '@/i18n';
import { formatDateTime } from '@/lib/time';

function Count({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: string }) {
  return (
    <div className="rounded-md border p-3">
      <div className="text-xs text-muted-foreground">{label}</div>
      <div className={`text-2xl font-semibold tabular ${tone ?? ''}`} data-testid={testId}>
        {formatCount(value)}
      </div>
    </div>
  );
}

/** A labelled progress bar; a null `total` is a bar without an end yet. */
function Progress({
  testId,
  label,
  name,
  done,
  total,
}: {
  testId: string;
  label: string;
  name?: string;
  done: number;
  total: number | null;
}) {
  return (
    <div className="grid gap-1" data-testid={testId}>
      <div className="text-sm">{label}</div>
      <div
        className="h-2 overflow-hidden rounded bg-muted"
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={done}
      >
        <div
          className="h-full bg-primary transition-[width]"
          style={{ width: total === null ? '100%' : `${(100 * done) / Math.max(1, total)}%` }}
        />
      </div>
    </div>
  );
}

/** The sync state in plain words, the counts, the last times and the two actions. */
export function StatusCard({ status }: { status: SystemStatus }) {
  const { m, locale } = useI18n();
  const errorText = useErrorText();
  const syncNow = useSyncNow();
  const retry = useRetryRejected();
  const s = status.status;
  const bodies = {
    online: m.sync.onlineBody,
    restoring: m.sync.restoringBody,
    offline: m.sync.offlineBody,
    unauthorized: m.sync.unauthorizedBody,
    unconfigured: m.sync.unconfiguredBody,
  };

  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle className="text-base text-foreground">{m.sync.status}</CardTitle>
        <SyncBadge status={status} />
      </CardHeader>
      <CardContent className="grid gap-4">
        <div data-testid="sync-status" data-status={s}>
          <p className="text-lg font-semibold">{m.sync[s]}</p>
          <p className="text-sm text-muted-foreground">{bodies[s]}</p>
        </div>
        {status.restoring ? (
          <Progress
            testId="restore-progress"
            label={
              status.restoring.total === null
                ? fill(m.sync.restoringProgressUnknown, {
                    restored: status.restoring.restored.toLocaleString(locale),
                  })
                : fill(m.sync.restoringProgress, {
                    restored: status.restoring.restored.toLocaleString(locale),
                    total: status.restoring.total.toLocaleString(locale),
                  })
            }
            name={m.sync.restoring}
            done={status.restoring.restored}
            total={status.restoring.total}
          />
        ) : null}
        {status.sending ? (
          <Progress
            testId="sync-progress"
            label={fill(m.sync.sending, {
              sent: status.sending.sent.toLocaleString(locale),
              total: status.sending.total.toLocaleString(locale),
            })}
            done={status.sending.sent}
            total={status.sending.total}
          />
        ) : null}
        <div className="grid grid-cols-2 gap-3">
          <Count
            label={m.sync.pending}
            value={status.unsynced_count}
            testId="unsynced-count"
            tone={status.unsynced_count > 0 ? 'text-amber-700' : ''}
          />
          <Count
            label={m.sync.rejected}
            value={status.rejected_count}
            testId="rejected-count"
            tone={status.rejected_count > 0 ? 'text-destructive' : ''}
          />
        </div>
        {status.pull_rejected_count > 0 ? (
          <p className="text-sm text-destructive" data-testid="pull-rejected-count">
            {fill(m.sync.pullRejected, { n: status.pull_rejected_count })}
          </p>
        ) : null}
        {status.refused_shift_count > 0 ? (
          <p className="text-sm text-destructive" data-testid="refused-shift-count">
            {fill(m.sync.refusedShifts, { n: status.refused_shift_count })}
          </p>
        ) : null}
        {status.held_count > 0 ? (
          <p className="text-sm text-amber-700" data-testid="held-count">
            {fill(m.sync.held, { n: status.held_count })}
          </p>
        ) : null}
        <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-muted-foreground">{m.sync.lastSync}</dt>
          <dd data-testid="last-sync">
            {status.last_sync_at ? formatDateTime(status.last_sync_at, locale) : m.sync.never}
          </dd>
          <dt className="text-muted-foreground">{m.sync.lastAttempt}</dt>
          <dd>{status.last_attempt_at ? formatDateTime(status.last_attempt_at, locale) : m.sync.never}</dd>
          <dt className="text-muted-foreground">{m.sync.lastError}</dt>
          <dd className="break-words" data-testid="last-error">
            {status.last_error ?? '—'}
          </dd>
          {status.branch ? (
            <>
              <dt className="text-muted-foreground">{m.sync.branch}</dt>
              <dd data-testid="branch">
                {status.branch.code} · {status.branch.name}
              </dd>
            </>
          ) : null}
          {status.cloud_url ? (
            <>
              <dt className="text-muted-foreground">{m.sync.server}</dt>
              <dd className="break-all">{status.cloud_url}</dd>
            </>
          ) : null}
        </dl>
        <div className="flex flex-wrap gap-2">
          <Button
            onClick={() =>
              syncNow.mutate(undefined, {
                onSuccess: (now) =>
                  toast({ title: now.status === 'unconfigured' ? m.sync.syncNotActivated : m.sync.syncStarted }),
                onError: (e) => toast({ variant: 'destructive', title: m.common.error, description: errorText(e) }),
              })
            }
            disabled={syncNow.isPending}
            data-testid="sync-now"
          >
            {syncNow.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <RefreshCw aria-hidden />}
            {m.sync.syncNow}
          </Button>
          <Button
            variant="outline"
            disabled={retry.isPending || status.rejected_count === 0}
            onClick={() =>
              retry.mutate(undefined, {
                onSuccess: (r) => toast({ title: fill(m.sync.retryDone, { n: r.requeued }) }),
                onError: (e) => toast({ variant: 'destructive', title: m.common.error, description: errorText(e) }),
              })
            }
            data-testid="retry-rejected"
          >
            <RotateCcw aria-hidden />
            {m.sync.retryRejected}
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

import { ErrorState, Loading } from '@/components/States';
import { Card } from '@/components/ui/card';
import { useSystemStatus } from '@/hooks/useSystemStatus';
import { useI18n } from '@/i18n';
import { ActivationForm } from './ActivationForm';
import { OutboxList } from './OutboxList';
import { StatusCard } from './StatusCard';

/** Sinkronisasi: the state of the link to HQ, its queue, and activation. */
export function SyncPage() {
  const { m } = useI18n();
  const status = useSystemStatus();
  return (
    <section className="flex flex-col gap-4" aria-labelledby="sync-title">
      <h1 id="sync-title" className="text-2xl font-semibold">
        {m.sync.title}
      </h1>
      {status.isPending ? (
        <Card>
          <Loading />
        </Card>
      ) : status.isError && !status.data ? (
        <Card>
          <ErrorState error={status.error} onRetry={() => void status.refetch()} />
        </Card>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <div className="grid content-start gap-4">
            <StatusCard status={status.data} />
            <ActivationForm status={status.data} />
          </div>
          <div className="grid content-start gap-4">
            <OutboxList state="pending" title={m.sync.pendingList} />
            {status.data.rejected_count > 0 ? <OutboxList state="rejected" title={m.sync.rejectedList} /> : null}
          </div>
        </div>
      )}
    </section>
  );
}

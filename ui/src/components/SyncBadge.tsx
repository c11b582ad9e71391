import { CloudDownload, CloudOff, Cloud, KeyRound, PlugZap, HelpCircle } from 'lucide-react';
import type { SystemStatus } from '@/api/types';
import { Badge } from '@/components/ui/badge';
import { fill, useI18n } from '@/i18n';

/** The sync state in two words, e.g. "Offline · 3 menunggu". */
export function SyncBadge({ status }: { status: SystemStatus | undefined }) {
  const { m } = useI18n();
  if (!status) {
    return (
      <Badge variant="secondary" data-testid="sync-badge">
        <HelpCircle aria-hidden />
        {m.sync.badge.unknown}
      </Badge>
    );
  }
  const look = {
    online: { variant: 'success', Icon: Cloud },
    restoring: { variant: 'warning', Icon: CloudDownload },
    offline: { variant: 'warning', Icon: CloudOff },
    unauthorized: { variant: 'destructive', Icon: KeyRound },
    unconfigured: { variant: 'secondary', Icon: PlugZap },
  } as const;
  const { variant, Icon } = look[status.status];
  return (
    <Badge
      variant={variant}
      className="whitespace-normal text-left"
      data-testid="sync-badge"
      data-status={status.status}
    >
      <Icon aria-hidden />
      {m.sync.badge[status.status]}
      {status.unsynced_count > 0 ? ` · ${fill(m.sync.badge.pending, { n: status.unsynced_count })}` : ''}
    </Badge>
  );
}

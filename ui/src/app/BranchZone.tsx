import { Fragment, type ReactNode } from 'react';
import { useBranchSettings } from '@/hooks/useBranchSettings';
import { DEFAULT_TIME_ZONE, setBranchTimeZone } from '@/lib/time';

/**
 * Renders the app in the branch's time zone. Every "today", date filter and time on screen
 * reads the zone from `lib/time`; the subtree remounts when the zone becomes known, so nothing
 * keeps a date computed in the default zone.
 */
export function BranchZone({ children }: { children: ReactNode }) {
  const settings = useBranchSettings();
  if (settings.isPending && settings.failureCount === 0) return null;
  const zone = settings.data ? settings.data.timezone : DEFAULT_TIME_ZONE;
  const known = settings.data ? setBranchTimeZone(zone, settings.data.zone_label) : false;
  return <Fragment key={known ? zone : DEFAULT_TIME_ZONE}>{children}</Fragment>;
}

import { Fragment, type ReactNode } from 'react';
import type { BranchSettings } from '@/api/types';
import { DEFAULT_TIME_ZONE, setBranchTimeZone } from '@/lib/time';

/** What the frame reads of a settings query (the branch's `/system/settings` or HQ's `/settings`). */
export interface ZoneSettings {
  data: BranchSettings | undefined;
  isPending: boolean;
  failureCount: number;
}

/**
 * Renders an app in the time zone its server announces. Every "today", date filter and time on
 * screen reads the zone from `lib/time`; the subtree remounts when the zone becomes known, so
 * nothing keeps a date computed in the default zone. Until the first answer (or failure) it
 * renders nothing; while the server does not answer, the default zone is used.
 */
export function ZoneFrame({ settings, children }: { settings: ZoneSettings; children: ReactNode }) {
  if (settings.isPending && settings.failureCount === 0) return null;
  const zone = settings.data ? settings.data.timezone : DEFAULT_TIME_ZONE;
  const known = settings.data ? setBranchTimeZone(zone, settings.data.zone_label) : false;
  return <Fragment key={known ? zone : DEFAULT_TIME_ZONE}>{children}</Fragment>;
}

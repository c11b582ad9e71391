import type { ReactNode } from 'react';
import { ZoneFrame } from '@/components/ZoneFrame';
import { useHqSettings } from '../hooks/useHqSettings';

/** Renders the signed-in console in HQ's business time zone (`GET /settings`, KH_TIMEZONE):
 * every date and time, with its WIB/WITA/WIT label; Asia/Jakarta until HQ has answered. */
export function HqZone({ children }: { children: ReactNode }) {
  return <ZoneFrame settings={useHqSettings()}>{children}</ZoneFrame>;
}

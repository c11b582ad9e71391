import type { ReactNode } from 'react';
import { ZoneFrame } from '@/components/ZoneFrame';
import { useBranchSettings } from '@/hooks/useBranchSettings';

/** Renders the cashier app in the branch's time zone (`GET /system/settings`). */
export function BranchZone({ children }: { children: ReactNode }) {
  return <ZoneFrame settings={useBranchSettings()}>{children}</ZoneFrame>;
}

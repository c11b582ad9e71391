import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { AuditEntry } from '../api/types';
import { keys } from './keys';

/** `GET /audit`: the latest changes at HQ, newest first (owners only). */
export function useAudit() {
  return useQuery({
    queryKey: keys.audit,
    queryFn: ({ signal }) => hq.get<AuditEntry[]>('/audit', undefined, signal),
  });
}

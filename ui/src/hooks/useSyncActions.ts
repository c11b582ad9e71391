import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { SystemStatus } from '@/api/types';
import { keys } from './keys';

function useRefreshAfterSync() {
  const qc = useQueryClient();
  return () => {
    // The worker runs after the 202; look again now and once it has had time to finish (HQ may
    // have sent new lists on the way).
    void qc.invalidateQueries({ queryKey: keys.status });
    void qc.invalidateQueries({ queryKey: keys.transactions });
    window.setTimeout(() => {
      void qc.invalidateQueries({ queryKey: keys.status });
      void qc.invalidateQueries({ queryKey: keys.transactions });
      void qc.invalidateQueries({ queryKey: keys.lists });
    }, 1500);
  };
}

/** `POST /system/sync`: wakes the sync worker now. */
export function useSyncNow() {
  const refresh = useRefreshAfterSync();
  return useMutation({
    mutationFn: () => api.post<SystemStatus>('/system/sync'),
    onSettled: refresh,
  });
}

/** `POST /system/sync/retry-rejected`: puts rows HQ refused back in the outbox. */
export function useRetryRejected() {
  const refresh = useRefreshAfterSync();
  return useMutation({
    mutationFn: () => api.post<{ requeued: number }>('/system/sync/retry-rejected'),
    onSettled: refresh,
  });
}

/** `POST /system/activate`: links this PC to HQ with a branch key. */
export function useActivate() {
  const qc = useQueryClient();
  return useMutation<SystemStatus, Error, { cloud_url: string; api_key: string; confirm_branch_change?: boolean }>({
    mutationFn: (body) => api.post<SystemStatus>('/system/activate', body),
    onSuccess: (status) => qc.setQueryData(keys.status, status),
    // Another HQ or branch has its own lists.
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: keys.status }), qc.invalidateQueries({ queryKey: keys.lists })]),
  });
}

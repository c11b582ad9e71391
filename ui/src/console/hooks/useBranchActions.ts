import { useMutation, useQueryClient } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { BranchWithKey, HqBranch } from '../api/types';
import { keys } from './keys';

function useRefreshBranches() {
  const qc = useQueryClient();
  return () =>
    Promise.all([qc.invalidateQueries({ queryKey: keys.branches }), qc.invalidateQueries({ queryKey: keys.reports })]);
}

const path = (id: string, action: string) => `/branches/${encodeURIComponent(id)}/${action}`;

/** `POST /branches`: a new branch and its key (shown once). */
export function useCreateBranch() {
  const refresh = useRefreshBranches();
  return useMutation<BranchWithKey, Error, { code: string; name: string }>({
    mutationFn: (body) => hq.post<BranchWithKey>('/branches', body),
    onSettled: refresh,
  });
}

/** `POST /branches/{id}/rotate-key`: a new key; the old one stops working at once. */
export function useRotateKey() {
  const refresh = useRefreshBranches();
  return useMutation<BranchWithKey, Error, string>({
    mutationFn: (id) => hq.post<BranchWithKey>(path(id, 'rotate-key')),
    onSettled: refresh,
  });
}

/** `POST /branches/{id}/disable` or `/enable`. */
export function useSetBranchEnabled() {
  const refresh = useRefreshBranches();
  return useMutation<HqBranch, Error, { id: string; enabled: boolean }>({
    mutationFn: ({ id, enabled }) => hq.post<HqBranch>(path(id, enabled ? 'enable' : 'disable')),
    onSettled: refresh,
  });
}

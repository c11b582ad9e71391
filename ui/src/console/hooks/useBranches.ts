import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { HqBranch } from '../api/types';
import { keys } from './keys';

/** `GET /branches`: every branch with its devices and last contact. */
export function useBranches() {
  return useQuery({
    queryKey: keys.branches,
    queryFn: ({ signal }) => hq.get<HqBranch[]>('/branches', undefined, signal),
  });
}

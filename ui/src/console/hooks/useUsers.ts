import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { StaffUser } from '../api/types';
import { keys } from './keys';

/** `GET /users`: HQ's users with their role and state (owners only). */
export function useUsers() {
  return useQuery({
    queryKey: keys.users,
    queryFn: ({ signal }) => hq.get<StaffUser[]>('/users', undefined, signal),
  });
}

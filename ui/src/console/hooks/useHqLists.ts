import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { HqLists } from '../api/types';
import { keys } from './keys';

/** `GET /lists`: HQ's categories and payment channels. */
export function useHqLists() {
  return useQuery({
    queryKey: keys.lists,
    queryFn: ({ signal }) => hq.get<HqLists>('/lists', undefined, signal),
  });
}

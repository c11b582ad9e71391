import { useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { ChannelTotal, DateRange } from '@/api/types';
import { keys } from './keys';

/** `GET /dashboard/channels`: in and out per payment channel in a period (channels without
 * entries are left out). */
export function useChannelTotals(range: DateRange) {
  return useQuery({
    queryKey: keys.channelTotals(range),
    queryFn: ({ signal }) => api.get<ChannelTotal[]>('/dashboard/channels', { ...range }, signal),
  });
}

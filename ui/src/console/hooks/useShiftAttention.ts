import { useQuery } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { ShiftAttention } from '../api/types';
import { keys } from './keys';

/** `GET /shifts/attention`: shifts left open too long and closes with a large difference. */
export function useShiftAttention() {
  return useQuery({
    queryKey: keys.shiftAttention,
    queryFn: ({ signal }) => hq.get<ShiftAttention>('/shifts/attention', undefined, signal),
  });
}

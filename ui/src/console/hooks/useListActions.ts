import { useMutation, useQueryClient } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { CategoryChange, CategoryUse, ChannelChange, NewChannel } from '../api/types';
import { keys } from './keys';

/** One change to the lists; every change reloads them (the version moves on). */
function useListChange<V>(send: (value: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation<unknown, Error, V>({
    mutationFn: send,
    onSettled: () => qc.invalidateQueries({ queryKey: keys.lists }),
  });
}

const at = (kind: string, id: string) => `/lists/${kind}/${encodeURIComponent(id)}`;

/** `POST /lists/categories`. */
export const useAddCategory = () =>
  useListChange((body: { name: string; type: CategoryUse }) => hq.post('/lists/categories', body));

/** `PATCH /lists/categories/{id}` with only what changes. */
export const useChangeCategory = () =>
  useListChange(({ id, change }: { id: string; change: CategoryChange }) => hq.patch(at('categories', id), change));

/** `POST /lists/channels`. */
export const useAddChannel = () => useListChange((body: NewChannel) => hq.post('/lists/channels', body));

/** `PATCH /lists/channels/{id}` (a channel's kind never changes). */
export const useChangeChannel = () =>
  useListChange(({ id, change }: { id: string; change: ChannelChange }) => hq.patch(at('channels', id), change));

/** `PUT /lists/settings`. */
export const useSetAllowNewCategories = () =>
  useListChange((allow: boolean) => hq.put('/lists/settings', { allow_new_categories: allow }));

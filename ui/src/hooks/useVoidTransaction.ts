import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Approval, Transaction } from '@/api/types';
import { keys } from './keys';

/** `POST /transactions/{id}/void`: records the reversing entry. */
export function useVoidTransaction() {
  const qc = useQueryClient();
  return useMutation<Transaction, Error, { id: string; reason: string; approval?: Approval }>({
    mutationFn: ({ id, reason, approval }) =>
      api.post<Transaction>(
        `/transactions/${encodeURIComponent(id)}/void`,
        approval ? { reason, approval } : { reason },
      ),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: keys.dashboard }),
        qc.invalidateQueries({ queryKey: keys.transactions }),
        qc.invalidateQueries({ queryKey: keys.categories }),
        qc.invalidateQueries({ queryKey: keys.status }),
        // The open shift's drawer moves with every entry.
        qc.invalidateQueries({ queryKey: ['shifts'] }),
      ]),
  });
}

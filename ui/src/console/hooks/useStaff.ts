import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { BranchStaff, BranchStaffChange, BranchStaffWithPin, NewBranchStaff } from '../api/types';
import { keys } from './keys';

/** `GET /staff?branch_id=`: one branch's cashiers and supervisors, active or not, by name;
 * nothing is asked while no branch is chosen. */
export function useStaff(branchId: string | null) {
  return useQuery({
    queryKey: keys.staff(branchId ?? ''),
    queryFn: ({ signal }) => hq.get<BranchStaff[]>('/staff', { branch_id: branchId }, signal),
    enabled: branchId !== null,
  });
}

/** Every change to a member reloads the branch's staff and the audit log (which records it).
 * An answer with a PIN is not kept once read (`gcTime: 0`): the page shows it once. */
function useStaffChange<T, V>(send: (value: V) => Promise<T>) {
  const qc = useQueryClient();
  return useMutation<T, Error, V>({
    mutationFn: send,
    gcTime: 0,
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ['staff'] }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}

const at = (id: string) => `/staff/${encodeURIComponent(id)}`;

/** `POST /staff`: 201 with the PIN (the one sent, or HQ's); 409 when the branch has a member
 * of that name; 400 with details per field (`pin` `format` or `weak`, `name`, `role`). */
export const useAddStaff = () => useStaffChange((body: NewBranchStaff) => hq.post<BranchStaffWithPin>('/staff', body));

/** `PATCH /staff/{id}` with only what changes: rename, change role, (de)activate. */
export const useChangeStaff = () =>
  useStaffChange(({ id, change }: { id: string; change: BranchStaffChange }) => hq.patch<BranchStaff>(at(id), change));

/** `POST /staff/{id}/pin`: a new PIN (the one sent, or HQ's when `pin` is empty); the old one
 * stops working at the branch's next sync. */
export const useResetStaffPin = () =>
  useStaffChange(({ id, pin }: { id: string; pin: string }) =>
    hq.post<BranchStaffWithPin>(`${at(id)}/pin`, pin ? { pin } : {}),
  );

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { hq } from '../api/hq';
import type { NewStaffUser, StaffUser } from '../api/types';
import { keys } from './keys';

/** Every change to a user reloads the users and the audit log (which records it). */
function useUserChange<V>(send: (value: V) => Promise<StaffUser>) {
  const qc = useQueryClient();
  return useMutation<StaffUser, Error, V>({
    mutationFn: send,
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: keys.users }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}

const path = (id: string, action: string) => `/users/${encodeURIComponent(id)}/${action}`;

/** `POST /users`: 409 when the email is taken, 400 with details per field. */
export const useCreateUser = () => useUserChange((body: NewStaffUser) => hq.post<StaffUser>('/users', body));

/** `POST /users/{id}/disable` (the user's sessions end at once) or `/enable`. */
export const useSetUserEnabled = () =>
  useUserChange(({ id, enabled }: { id: string; enabled: boolean }) =>
    hq.post<StaffUser>(path(id, enabled ? 'enable' : 'disable')),
  );

/** `POST /users/{id}/reset-password`: a new password; the user's sessions end. */
export const useResetPassword = () =>
  useUserChange(({ id, password }: { id: string; password: string }) =>
    hq.post<StaffUser>(path(id, 'reset-password'), { password }),
  );

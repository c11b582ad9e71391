import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/client';
import { hq, setCsrfToken } from '../api/hq';
import type { Session } from '../api/types';
import { keys } from '../hooks/keys';

/** Drops every answer of the session (the next user must not see them) and marks the browser
 * signed out, which shows the sign-in screen. */
export function forgetSession(qc: QueryClient) {
  setCsrfToken(null);
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
  qc.setQueryData(keys.me, null);
}

/** `GET /auth/me`: the signed-in user, or null when there is no session (401). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async ({ signal }) => {
      try {
        const session = await hq.get<Session>('/auth/me', undefined, signal);
        setCsrfToken(session.csrf_token);
        return session;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw e;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

/** `POST /auth/login`: a 401 is a wrong email or password, a 429 too many tries. */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation<Session, Error, { email: string; password: string }>({
    mutationFn: (body) => hq.post<Session>('/auth/login', body),
    onSuccess: (session) => {
      setCsrfToken(session.csrf_token);
      qc.setQueryData(keys.me, session);
    },
  });
}

/** `POST /auth/logout`; whatever it answers, this browser forgets the session and its data. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation<unknown, Error, void>({
    mutationFn: () => hq.post('/auth/logout'),
    onSettled: () => forgetSession(qc),
  });
}

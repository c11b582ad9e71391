import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '@/api/client';
import { clearSession, setSession, useSession, type StaffMember } from '@/lib/session';

/** `GET /staff`: who may sign in at this PC, and whether anybody must. */
export interface Roster {
  required: boolean;
  idle_lock_minutes: number;
  staff: StaffMember[];
}

interface SessionAnswer {
  token?: string;
  staff: StaffMember;
  idle_lock_minutes: number;
}

export const rosterKey = ['staff'] as const;

/** The lock screen's names. Asked for again every 30 s: staff HQ adds, renames or deactivates
 * arrive with a sync, and the screen follows without a reload. */
export function useRoster() {
  return useQuery({
    queryKey: rosterKey,
    queryFn: ({ signal }) => api.get<Roster>('/staff', undefined, signal),
    refetchInterval: 30_000,
  });
}

/** `POST /session`: a PIN checked on this PC; the app is signed in on success. */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { staff_id: string; pin: string }) => api.post<SessionAnswer>('/session', body),
    onSuccess: (answer) => {
      if (!answer.token) return;
      setSession({ token: answer.token, staff: answer.staff, idleLockMinutes: answer.idle_lock_minutes });
      void client.invalidateQueries();
    },
  });
}

/** Locks the app ("Kunci"): forgets the session here and ends it at kh-local. */
export async function lockNow() {
  try {
    await api.del<null>('/session');
  } catch {
    // The session ends here anyway; kh-local ends an unused one after the idle time.
  }
  clearSession();
}

/** Locks the app after `minutes` without a key press, click or touch. */
export function useIdleLock(minutes: number | undefined) {
  const session = useSession();
  useEffect(() => {
    if (!session || !minutes) return;
    let timer = window.setTimeout(() => void lockNow(), minutes * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void lockNow(), minutes * 60_000);
    };
    const events = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [session, minutes]);
}

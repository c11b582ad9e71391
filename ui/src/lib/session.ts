/** The lock screen's session on this window: kept here (not in the lock feature) because the API
 * client sends it with every call and forgets it when kh-local says it ended. */
import { useSyncExternalStore } from 'react';

/** A staff member as the lock screen shows them. */
export interface StaffMember {
  id: string;
  name: string;
  role: 'cashier' | 'supervisor';
}

/** The lock screen's session: the token kh-local issued at PIN sign-in (sent in
 * `X-KH-Session`), who holds it, and the idle minutes after which the app locks. */
export interface Session {
  token: string;
  staff: StaffMember;
  idleLockMinutes: number;
}

/** Kept for this window only (a reload keeps it; closing the app ends it). */
const STORAGE_KEY = 'kh.session';

function read(): Session | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

let current: Session | null = typeof window === 'undefined' ? null : read();
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

/** Signs the app in (after `POST /session`). */
export function setSession(session: Session) {
  current = session;
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // A browser without storage keeps the session in memory only.
  }
  emit();
}

/** Locks the app: the session is forgotten here (the caller ends it at kh-local). */
export function clearSession() {
  if (current === null) return;
  current = null;
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
  emit();
}

/** The session now, for the API client's header. */
export function sessionToken(): string | null {
  return current?.token ?? null;
}

/** The session, re-rendering when it changes. */
export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
    () => null,
  );
}

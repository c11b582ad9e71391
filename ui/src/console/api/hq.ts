import { createApi } from '@/api/client';

// The console's calls: the session cookie travels by itself (same origin); each change carries
// the CSRF token HQ gave at sign-in, and a 401 anywhere but the sign-in calls means the session
// ended (expired, signed out elsewhere, or the user was removed).

let csrfToken: string | null = null;
const endedListeners = new Set<() => void>();

/** Keeps the token changes must send (`null` after signing out). */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Calls `listener` when a call answers 401 mid-session; returns the unsubscribe. */
export function onSessionEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

const CHANGES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export const hq = createApi({
  headers: (method): Record<string, string> => (CHANGES.has(method) && csrfToken ? { 'X-KH-CSRF': csrfToken } : {}),
  onError: (error, _method, path) => {
    if (error.status === 401 && !path.startsWith('/auth/')) for (const l of endedListeners) l();
  },
});

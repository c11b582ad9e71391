import { useMemo, useSyncExternalStore } from 'react';

// A router small enough to read: the address bar is the state, `navigate` pushes a path and
// every hook reading the address re-renders. Both apps use it (each with its own routes).

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function notify() {
  for (const l of listeners) l();
}

/** Goes to a path (with its query, if any) without reloading the page. */
export function navigate(to: string) {
  if (window.location.pathname + window.location.search === to) return;
  window.history.pushState(null, '', to);
  notify();
}

/** The path of the address bar. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/**
 * The query of the address bar, and a setter that replaces it (no new history entry: the
 * view's filters are part of where the user is, not steps to go back through), so a reload
 * or a shared link shows the same view.
 */
export function useSearchParams(): [URLSearchParams, (next: URLSearchParams) => void] {
  const search = useSyncExternalStore(subscribe, () => window.location.search);
  const params = useMemo(() => new URLSearchParams(search), [search]);
  return [params, replaceSearch];
}

function replaceSearch(next: URLSearchParams) {
  const query = next.toString();
  const to = window.location.pathname + (query ? `?${query}` : '');
  if (window.location.pathname + window.location.search === to) return;
  window.history.replaceState(null, '', to);
  notify();
}

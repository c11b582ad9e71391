import { useMemo, useSyncExternalStore } from 'react';

/** The four screens and their paths (kh-local answers index.html for each). */
export const screens = [
  { key: 'dashboard', path: '/' },
  { key: 'entry', path: '/catat' },
  { key: 'history', path: '/riwayat' },
  { key: 'sync', path: '/sinkronisasi' },
] as const;

export type ScreenKey = (typeof screens)[number]['key'];

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

/** The screen the address bar names (unknown paths show the dashboard). */
export function useScreen(): ScreenKey {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname);
  return screens.find((s) => s.path === path)?.key ?? 'dashboard';
}

/**
 * The query of the address bar, and a setter that replaces it (no new history entry: the
 * view's filters are part of where the cashier is, not steps to go back through), so a reload
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

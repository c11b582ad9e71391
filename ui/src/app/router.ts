import { useSyncExternalStore } from 'react';

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

/** Goes to a path without reloading the page. */
export function navigate(path: string) {
  if (window.location.pathname === path) return;
  window.history.pushState(null, '', path);
  for (const l of listeners) l();
}

/** The screen the address bar names (unknown paths show the dashboard). */
export function useScreen(): ScreenKey {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname);
  return screens.find((s) => s.path === path)?.key ?? 'dashboard';
}

import { usePath } from '@/lib/router';

export { navigate, useSearchParams } from '@/lib/router';

/** The four screens and their paths (kh-local answers index.html for each). */
export const screens = [
  { key: 'dashboard', path: '/' },
  { key: 'entry', path: '/catat' },
  { key: 'history', path: '/riwayat' },
  { key: 'sync', path: '/sinkronisasi' },
] as const;

export type ScreenKey = (typeof screens)[number]['key'];

/** The screen the address bar names (unknown paths show the dashboard). */
export function useScreen(): ScreenKey {
  const path = usePath();
  return screens.find((s) => s.path === path)?.key ?? 'dashboard';
}

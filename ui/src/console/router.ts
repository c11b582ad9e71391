import { usePath } from '@/lib/router';

export { navigate, useSearchParams } from '@/lib/router';

/** The console's screens in the navigation, and their paths (kh-cloud answers console.html). */
export const screens = [
  { key: 'overview', path: '/' },
  { key: 'branches', path: '/cabang' },
  { key: 'staff', path: '/staf' },
  { key: 'lists', path: '/daftar' },
  { key: 'users', path: '/pengguna' },
  { key: 'audit', path: '/audit' },
] as const;

export type ScreenKey = (typeof screens)[number]['key'];

/** Where the address bar points: a screen, or one branch's page (`/cabang/<id>`). */
export type Route = { screen: ScreenKey } | { screen: 'branch'; id: string };

/** Reads a path; unknown paths show the overview. */
export function routeOf(path: string): Route {
  const branch = /^\/cabang\/([^/]+)\/?$/.exec(path);
  if (branch?.[1]) return { screen: 'branch', id: decodeURIComponent(branch[1]) };
  const s = screens.find((x) => x.path === path || `${x.path}/` === path);
  return { screen: s?.key ?? 'overview' };
}

export function useRoute(): Route {
  return routeOf(usePath());
}

/** The path of one branch's page. */
export const branchPath = (id: string) => `/cabang/${encodeURIComponent(id)}`;

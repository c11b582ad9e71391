import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { testClient } from '@/test/render';
import { mockApi, type Call } from '@/test/mockApi';
import { setCsrfToken } from '../api/hq';
import type { BranchFigures, HqBranch, HqLists, Role } from '../api/types';
import { ConsoleApp } from '../App';
import { ConsoleI18nProvider } from '../i18n';

type Handler = Parameters<typeof mockApi>[0][string];

export const CSRF = 'csrf-token-1';

/** `GET /auth/me` of a signed-in user with a role. */
export const session = (role: Role = 'owner', email = 'pemilik@haramain.id') => ({
  user: { id: 'u1', email, role },
  csrf_token: CSRF,
});

/** Renders the whole console at a path, signed in as `role` (or signed out with `null`), over
 * mocked HQ handlers. */
export function renderConsole(path: string, routes: Record<string, Handler>, role: Role | null = 'owner') {
  setCsrfToken(null);
  window.history.replaceState(null, '', path);
  // Like HQ: signed in (as `role`) until a sign-out, and after a successful sign-in.
  let signedIn: Role | null = role;
  const given = routes['POST /auth/login'];
  const api = mockApi({
    'GET /auth/me': () => (signedIn ? { data: session(signedIn) } : { status: 401, error: { code: 'unauthorized' } }),
    'POST /auth/logout': () => {
      signedIn = null;
      return { data: null };
    },
    'GET /lists': () => ({ data: hqLists }),
    'GET /settings': () => ({ data: hqSettings('Asia/Jakarta', 'WIB', 420) }),
    ...routes,
    'POST /auth/login': async (call) => {
      const reply = given ? await given(call) : { status: 401, error: { code: 'unauthorized' } };
      if (reply !== 'network' && (reply.status ?? 200) < 400)
        signedIn = (reply.data as { user: { role: Role } }).user.role;
      return reply;
    },
  });
  const client = testClient();
  const view = render(
    <QueryClientProvider client={client}>
      <ConsoleI18nProvider lang="id">
        <ConsoleApp />
      </ConsoleI18nProvider>
    </QueryClientProvider>,
  );
  return { ...view, ...api, client };
}

/** `GET /settings` of an HQ in a zone. */
export const hqSettings = (timezone: string, zone_label: string | null, utc_offset_minutes: number) => ({
  timezone,
  zone_label,
  utc_offset_minutes,
});

/** The changes (not reads) among the calls. */
export const changes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

export const hqLists: HqLists = {
  version: 3,
  allow_new_categories: true,
  categories: [
    { id: 'c-gaji', name: 'Gaji', type: 'OUT', active: true },
    { id: 'c-jual', name: 'Penjualan', type: 'IN', active: true },
  ],
  channels: [
    { id: 'ch-cash', name: 'Tunai', kind: 'cash', active: true },
    { id: 'ch-qris', name: 'QRIS', kind: 'non_cash', active: true },
  ],
};

export function figures(branch_id: string, code: string, name: string, f: Partial<BranchFigures> = {}): BranchFigures {
  return {
    branch_id,
    code,
    name,
    total_in: 0,
    total_out: 0,
    balance: 0,
    transaction_count: 0,
    voided_count: 0,
    voided_total: 0,
    last_seen_at: new Date().toISOString(),
    ...f,
  };
}

export function branch(id: string, code: string, name: string, b: Partial<HqBranch> = {}): HqBranch {
  return {
    id,
    code,
    name,
    created_at: '2025-01-01T00:00:00Z',
    disabled_at: null,
    last_seen_at: new Date().toISOString(),
    devices: [],
    ...b,
  };
}

/** An ISO instant `hours` before now. */
export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

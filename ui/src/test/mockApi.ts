import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Reply =
  | {
      status?: number;
      data?: unknown;
      error?: { code: string; details?: { field: string; issue: string }[] };
      message?: string;
    }
  | 'network';
type Handler = (call: Call) => Reply | Promise<Reply>;

/** Replaces fetch with a router over `METHOD /path` handlers that answer in the API envelope. */
export function mockApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://127.0.0.1');
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const call: Call = {
      method,
      path,
      query: url.searchParams,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const handler = routes[`${method} ${path}`];
    const reply: Reply = handler
      ? await handler(call)
      : { status: 404, error: { code: 'not_found' }, message: 'no route' };
    if (reply === 'network') throw new TypeError('Failed to fetch');
    const status = reply.status ?? 200;
    const ok = status < 400;
    const envelope = ok
      ? { success: true, message: reply.message ?? 'ok', data: reply.data ?? null }
      : {
          success: false,
          message: reply.message ?? 'error',
          data: null,
          error: { code: reply.error?.code ?? 'internal', details: reply.error?.details ?? [] },
        };
    return new Response(JSON.stringify(envelope), { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const emptySummary = {
  total_in: 0,
  total_out: 0,
  balance: 0,
  transaction_count: 0,
  count_in: 0,
  count_out: 0,
  voided_count: 0,
  voided_total: 0,
};

export function storedTx(body: Record<string, unknown>) {
  const now = new Date().toISOString();
  return {
    id: body.id,
    branch_id: null,
    type: body.type,
    category: body.category,
    amount: body.amount,
    description: body.description ?? null,
    occurred_at: body.occurred_at ?? now,
    created_at: now,
    reverses_id: null,
    voided_by: null,
    sync_state: 'pending',
    is_synced: false,
    synced_at: null,
    sync_error: null,
  };
}

import { vi } from 'vitest';
import type { Lists } from '@/api/types';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

type Reply =
  | {
      status?: number;
      data?: unknown;
      error?: {
        code: string;
        details?: { field: string; issue: string; rule?: string; limit?: number; min?: number }[];
      };
      message?: string;
      headers?: Record<string, string>;
      /** Sent as it is instead of the envelope (a file, e.g. a stream that fails half-way). */
      body?: BodyInit;
    }
  | 'network';
type Handler = (call: Call) => Reply | Promise<Reply>;

/** Replaces fetch with a router over `METHOD /path` handlers that answer in the API envelope
 * (or with a `body` of their own). `GET /lists` answers the defaults unless a test gives its
 * own. */
export function mockApi(given: Record<string, Handler>) {
  const routes: Record<string, Handler> = { 'GET /lists': () => ({ data: defaultLists }), ...given };
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
      headers: new Headers(init?.headers),
    };
    calls.push(call);
    const handler = routes[`${method} ${path}`];
    const reply: Reply = handler
      ? await handler(call)
      : { status: 404, error: { code: 'not_found' }, message: 'no route' };
    if (reply === 'network') throw new TypeError('Failed to fetch');
    const status = reply.status ?? 200;
    if (reply.body !== undefined) return new Response(reply.body, { status, headers: reply.headers });
    const ok = status < 400;
    const envelope = ok
      ? { success: true, message: reply.message ?? 'ok', data: reply.data ?? null }
      : {
          success: false,
          message: reply.message ?? 'error',
          data: null,
          error: { code: reply.error?.code ?? 'internal', details: reply.error?.details ?? [] },
        };
    return new Response(JSON.stringify(envelope), {
      status,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
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

/** The ids of the default payment channels (the same on every PC and HQ). */
export const CASH_ID = '0b8e7c2a-6f1d-4c3e-9a57-2d4f8e1b6c01';
export const QRIS_ID = '9fa4ad88-4d18-45d0-8744-2c34a0b961ac';
export const TRANSFER_ID = '6418e5d9-3399-4fb2-97ff-d9c5f1a35006';
export const EDC_ID = '9b1ece75-cea7-49d1-a7d0-0b6c7e56563d';

/** What `GET /lists` answers on a PC that has not heard from HQ yet. */
export const defaultLists: Lists = {
  version: 0,
  allow_new_categories: true,
  cash_channel_id: CASH_ID,
  categories: [
    { id: '9ae4bf53-f695-4470-a85a-a59a44e494ed', name: 'Bahan Baku', type: 'OUT', active: true },
    { id: '4e2f3935-0fbf-4d8f-8a46-cc1d6e823862', name: 'Gaji', type: 'OUT', active: true },
    { id: '7f976750-88d2-4b4d-98db-fb6c0535925d', name: 'Modal', type: 'IN', active: true },
    { id: '1789cd50-7063-4afc-a77c-7b8a606a7f3a', name: 'Operasional', type: 'OUT', active: true },
    { id: '47db915d-d53b-4c07-99a7-49d1a7d0aa01', name: 'Penjualan', type: 'IN', active: true },
  ],
  channels: [
    { id: CASH_ID, name: 'Tunai', kind: 'cash', active: true },
    { id: QRIS_ID, name: 'QRIS', kind: 'non_cash', active: true },
    { id: TRANSFER_ID, name: 'Transfer Bank', kind: 'non_cash', active: true },
    { id: EDC_ID, name: 'EDC/Kartu', kind: 'non_cash', active: true },
  ],
};

/** A stored transaction as the server answers it for a `POST /transactions` body; the channel
 * is cash unless the body names another. */
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
    channel_id: body.channel_id ?? CASH_ID,
    channel_name:
      body.channel_name ?? defaultLists.channels.find((c) => c.id === (body.channel_id ?? CASH_ID))?.name ?? '?',
  };
}

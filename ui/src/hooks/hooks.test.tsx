import { act, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/client';
import type { Summary } from '@/api/types';
import { CASH_ID, QRIS_ID, emptySummary, mockApi, storedTx } from '@/test/mockApi';
import { renderHookWithApp, testClient } from '@/test/render';
import { keys } from './keys';
import { useChannelTotals } from './useChannelTotals';
import { useCreateTransaction } from './useCreateTransaction';
import { useDaily } from './useDaily';
import { useSummary } from './useSummary';
import { useSystemStatus } from './useSystemStatus';
import { useTransactionTotals } from './useTransactionTotals';
import { useTransactions } from './useTransactions';
import { useVoidTransaction } from './useVoidTransaction';
import { businessDate } from '@/lib/time';

afterEach(() => {
  vi.unstubAllGlobals();
});

const summary: Summary = {
  total_in: 100_000,
  total_out: 30_000,
  balance: 70_000,
  transaction_count: 3,
  count_in: 1,
  count_out: 2,
  voided_count: 0,
  voided_total: 0,
};

describe('useSummary', () => {
  it('asks for the range and unwraps the envelope', async () => {
    const { calls } = mockApi({ 'GET /dashboard/summary': () => ({ data: summary }) });
    const { result } = renderHookWithApp(() => useSummary({ from: '2025-12-01', to: '2025-12-31' }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toEqual(summary);
    expect(calls[0]!.query.get('from')).toBe('2025-12-01');
    expect(calls[0]!.query.get('to')).toBe('2025-12-31');
  });

  it('asks for one payment channel, and keeps its figures apart from all channels', async () => {
    const qris = { ...summary, total_in: 40_000 };
    const { calls } = mockApi({
      'GET /dashboard/summary': (call) => ({ data: call.query.get('channel_id') === QRIS_ID ? qris : summary }),
    });
    const client = testClient();
    const all = renderHookWithApp(() => useSummary({ from: '2025-12-01' }), client);
    const one = renderHookWithApp(() => useSummary({ from: '2025-12-01', channel_id: QRIS_ID }), client);
    await waitFor(() => expect(one.result.current.data).toEqual(qris));
    await waitFor(() => expect(all.result.current.data).toEqual(summary));
    expect(calls.map((c) => c.query.get('channel_id'))).toEqual(expect.arrayContaining([null, QRIS_ID]));
  });

  it('turns the error envelope into an ApiError with its code and details', async () => {
    mockApi({
      'GET /dashboard/summary': () => ({
        status: 400,
        message: 'bad dates',
        error: { code: 'validation_failed', details: [{ field: 'from', issue: 'is not a date' }] },
      }),
    });
    const { result } = renderHookWithApp(() => useSummary({ from: 'x' }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    const error = result.current.error as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.fieldIssue('from')).toBe('is not a date');
  });
});

describe('channel filters', () => {
  it('go to the daily rows and the list totals as channel_id', async () => {
    const { calls } = mockApi({
      'GET /dashboard/daily': () => ({ data: [] }),
      'GET /transactions/totals': () => ({ data: summary }),
    });
    const daily = renderHookWithApp(() => useDaily({ from: '2025-12-01', to: '2025-12-31', channel_id: QRIS_ID }));
    const totals = renderHookWithApp(() => useTransactionTotals({ type: 'IN', channel_id: QRIS_ID }));
    await waitFor(() => expect(daily.result.current.isSuccess && totals.result.current.isSuccess).toBe(true));
    const query = (path: string) => Object.fromEntries(calls.find((c) => c.path === path)!.query);
    expect(query('/dashboard/daily')).toEqual({ from: '2025-12-01', to: '2025-12-31', channel_id: QRIS_ID });
    expect(query('/transactions/totals')).toEqual({ type: 'IN', channel_id: QRIS_ID });
  });

  it('per-channel totals ask for the period only', async () => {
    const rows = [
      {
        channel_id: CASH_ID,
        channel_name: 'Tunai',
        kind: 'cash',
        total_in: 1,
        total_out: 0,
        count_in: 1,
        count_out: 0,
      },
    ];
    const { calls } = mockApi({ 'GET /dashboard/channels': () => ({ data: rows }) });
    const { result } = renderHookWithApp(() => useChannelTotals({ from: '2025-12-01', to: '2025-12-31' }));
    await waitFor(() => expect(result.current.data).toEqual(rows));
    expect(Object.fromEntries(calls[0]!.query)).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});

describe('useSystemStatus', () => {
  it('reports an unreachable server as a network error', async () => {
    mockApi({ 'GET /system/status': () => 'network' });
    const { result } = renderHookWithApp(() => useSystemStatus());
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect((result.current.error as ApiError).isNetwork).toBe(true);
  });
});

describe('useTransactions', () => {
  it('sends the filters as query parameters and leaves out empty ones', async () => {
    const { calls } = mockApi({
      'GET /transactions': () => ({ data: { items: [], page: 2, limit: 20, total: 0, total_pages: 0 } }),
    });
    const { result } = renderHookWithApp(() =>
      useTransactions({
        page: 2,
        limit: 20,
        type: 'OUT',
        q: 'beras',
        sync_state: 'pending',
        category: undefined,
        channel_id: QRIS_ID,
      }),
    );
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(Object.fromEntries(calls[0]!.query)).toEqual({
      page: '2',
      limit: '20',
      type: 'OUT',
      q: 'beras',
      sync_state: 'pending',
      channel_id: QRIS_ID,
    });
  });
});

describe('useCreateTransaction', () => {
  const today = businessDate();
  const tx = {
    id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11',
    type: 'OUT' as const,
    amount: 20_000,
    category: 'Bahan Baku',
  };

  it('puts the entry in the cached balances at once, counting a repeated id once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    mockApi({
      'POST /transactions': async (call) => {
        await gate;
        return { status: 201, data: storedTx(call.body as Record<string, unknown>) };
      },
      'GET /dashboard/summary': () => ({ data: summary }),
    });
    const client = testClient();
    client.setQueryData(keys.summary({}), summary);
    client.setQueryData(keys.summary({ from: today, to: today }), emptySummary);
    client.setQueryData(keys.summary({ from: '2000-01-01', to: '2000-01-31' }), emptySummary);
    const { result } = renderHookWithApp(() => useCreateTransaction(), client);

    act(() => {
      result.current.mutate(tx);
      result.current.mutate(tx); // a double submit of the same entry
    });
    await waitFor(() => expect(client.getQueryData<Summary>(keys.summary({}))?.balance).toBe(50_000));
    expect(client.getQueryData(keys.summary({}))).toMatchObject({
      total_out: 50_000,
      transaction_count: 4,
      count_out: 3,
    });
    expect(client.getQueryData(keys.summary({ from: today, to: today }))).toMatchObject({
      balance: -20_000,
      count_out: 1,
    });
    expect(client.getQueryData(keys.summary({ from: '2000-01-01', to: '2000-01-31' }))).toEqual(emptySummary);

    release();
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
  });

  it('counts the entry only in the summaries of its own channel', async () => {
    mockApi({
      'POST /transactions': (call) => ({ status: 201, data: storedTx(call.body as Record<string, unknown>) }),
      'GET /dashboard/summary': () => ({ data: summary }),
    });
    const client = testClient();
    client.setQueryData(keys.summary({ channel_id: QRIS_ID }), emptySummary);
    client.setQueryData(keys.summary({ channel_id: CASH_ID }), emptySummary);
    const { result } = renderHookWithApp(() => useCreateTransaction(), client);
    act(() => result.current.mutate({ ...tx, id: '2b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11', channel_id: QRIS_ID }));
    await waitFor(() =>
      expect(client.getQueryData<Summary>(keys.summary({ channel_id: QRIS_ID }))?.total_out).toBe(20_000),
    );
    expect(client.getQueryData(keys.summary({ channel_id: CASH_ID }))).toEqual(emptySummary);
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
  });

  it('takes the entry out again when the save fails', async () => {
    mockApi({
      'POST /transactions': () => ({ status: 503, message: 'busy', error: { code: 'unavailable' } }),
      'GET /dashboard/summary': () => ({ data: summary }),
    });
    const client = testClient();
    client.setQueryData(keys.summary({}), summary);
    const { result } = renderHookWithApp(() => useCreateTransaction(), client);
    act(() => result.current.mutate({ ...tx, id: '1b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11' }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect((result.current.error as ApiError).code).toBe('unavailable');
    await waitFor(() => expect(client.getQueryData<Summary>(keys.summary({}))?.balance).toBe(70_000));
  });
});

describe('useVoidTransaction', () => {
  it('posts the reason to the void endpoint and refreshes the lists', async () => {
    const { calls } = mockApi({
      'POST /transactions/abc/void': (call) => ({
        status: 201,
        data: storedTx({ id: 'v', type: 'IN', amount: 1, category: 'x', ...(call.body as object) }),
      }),
    });
    const client = testClient();
    client.setQueryData(keys.transactionList({ page: 1, limit: 20 }), {
      items: [],
      page: 1,
      limit: 20,
      total: 0,
      total_pages: 0,
    });
    const { result } = renderHookWithApp(() => useVoidTransaction(), client);
    act(() => result.current.mutate({ id: 'abc', reason: 'salah ketik' }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ reason: 'salah ketik' });
    expect(client.getQueryState(keys.transactionList({ page: 1, limit: 20 }))?.isInvalidated).toBe(true);
  });
});

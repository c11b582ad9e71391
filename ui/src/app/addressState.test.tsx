import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DashboardPage } from '@/features/dashboard/DashboardPage';
import { HistoryPage } from '@/features/history/HistoryPage';
import { OutboxList } from '@/features/sync/OutboxList';
import { QRIS_ID, emptySummary, mockApi, storedTx, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';

const empty = { items: [], page: 1, limit: 20, total: 0, total_pages: 0 };
const lastList = (calls: Call[]) => calls.filter((c) => c.path === '/transactions').at(-1)!.query;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the view lives in the address', () => {
  it('opens the history a shared link names, and writes every change back into the address', async () => {
    window.history.replaceState(
      null,
      '',
      `/riwayat?period=custom&from=2026-11-01&to=2026-11-30&type=OUT&q=beras&channel_id=${QRIS_ID}&page=2`,
    );
    const { calls } = mockApi({
      'GET /transactions': () => ({ data: { ...empty, page: 2, total: 45, total_pages: 3 } }),
      'GET /categories': () => ({ data: [] }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    await waitFor(() => expect(calls.some((c) => c.path === '/transactions')).toBe(true));
    const query = lastList(calls);
    expect(Object.fromEntries(query)).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-30',
      type: 'OUT',
      q: 'beras',
      channel_id: QRIS_ID,
      page: '2',
    });
    expect(screen.getByLabelText('Cari')).toHaveValue('beras');
    expect(screen.getByLabelText('Dari')).toHaveValue('01/11/2026');
    expect(screen.getByLabelText('Sampai')).toHaveValue('30/11/2026');

    await user.click(screen.getByRole('button', { name: 'Hari ini' }));
    await waitFor(() => expect(window.location.search).toBe(`?period=today&type=OUT&q=beras&channel_id=${QRIS_ID}`));
    await waitFor(() => expect(lastList(calls).get('page')).toBe('1'));
  });

  it('keeps the dashboard period across a reload, and leaves the default out of the address', async () => {
    window.history.replaceState(null, '', '/?period=week');
    const { calls } = mockApi({
      'GET /dashboard/summary': () => ({ data: emptySummary }),
      'GET /dashboard/daily': () => ({ data: [] }),
      'GET /dashboard/categories': () => ({ data: [] }),
      'GET /system/status': () => ({ data: { status: 'online', pending_count: 0, rejected_count: 0 } }),
    });
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    expect(await screen.findByRole('button', { name: 'Minggu ini' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'Bulan ini' }));
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(screen.getByRole('button', { name: 'Bulan ini' })).toHaveAttribute('aria-pressed', 'true');
    expect(calls.some((c) => c.path === '/dashboard/summary')).toBe(true);
  });

  it('opens the whole pending list in the history from the "+N" under the first ten', async () => {
    const items = Array.from({ length: 10 }, (_, i) =>
      storedTx({
        id: `0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a${String(i).padStart(2, '0')}`,
        type: 'OUT',
        amount: 1000,
        category: 'Operasional',
      }),
    );
    mockApi({ 'GET /transactions': () => ({ data: { items, page: 1, limit: 10, total: 306, total_pages: 31 } }) });
    const user = userEvent.setup();
    renderWithApp(<OutboxList state="pending" title="Menunggu" />);
    const more = await screen.findByTestId('outbox-more');
    expect(more).toHaveTextContent('+296 lainnya');
    await user.click(more);
    expect(window.location.pathname + window.location.search).toBe('/riwayat?sync_state=pending');
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelTotal } from '@/api/types';
import { businessDate } from '@/lib/time';
import { CASH_ID, QRIS_ID, TRANSFER_ID, emptySummary, mockApi, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { DashboardPage } from './DashboardPage';

const byChannel: ChannelTotal[] = [
  {
    channel_id: CASH_ID,
    channel_name: 'Tunai',
    kind: 'cash',
    total_in: 1_500_000,
    total_out: 250_000,
    count_in: 12,
    count_out: 3,
  },
  {
    channel_id: QRIS_ID,
    channel_name: 'QRIS',
    kind: 'non_cash',
    total_in: 2_750_000,
    total_out: 0,
    count_in: 20,
    count_out: 0,
  },
  {
    channel_id: TRANSFER_ID,
    channel_name: 'Transfer Bank',
    kind: 'non_cash',
    total_in: 0,
    total_out: 3_000_000,
    count_in: 0,
    count_out: 1,
  },
];

function api() {
  return mockApi({
    'GET /dashboard/summary': () => ({ data: emptySummary }),
    'GET /dashboard/daily': () => ({ data: [] }),
    'GET /dashboard/categories': () => ({ data: [] }),
    'GET /dashboard/channels': () => ({ data: byChannel }),
    'GET /system/status': () => 'network',
  });
}

const queries = (calls: Call[], path: string) => calls.filter((c) => c.path === path).map((c) => c.query);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DashboardPage by payment method', () => {
  it("lists each method's in, out and net for the period, in rupiah", async () => {
    const { calls } = api();
    renderWithApp(<DashboardPage />);
    const rows = await screen.findAllByTestId('channel-total');
    const cells = (i: number) =>
      ['channel-in', 'channel-out', 'channel-net'].map((id) => within(rows[i]!).getByTestId(id).textContent);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Tunai', 'QRIS', 'Transfer Bank']);
    expect(cells(0)).toEqual(['Rp 1.500.000', '−Rp 250.000', 'Rp 1.250.000']);
    expect(cells(1)).toEqual(['Rp 2.750.000', 'Rp 0', 'Rp 2.750.000']);
    expect(cells(2)).toEqual(['Rp 0', '−Rp 3.000.000', '−Rp 3.000.000']);
    const today = businessDate();
    expect(Object.fromEntries(queries(calls, '/dashboard/channels')[0]!)).toEqual({
      from: `${today.slice(0, 7)}-01`,
      to: today,
    });
  });

  it('narrows the cards and the daily chart to one method, not the per-method card', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    const filter = screen.getByTestId('dashboard-channel');
    await waitFor(() => expect(within(filter).getByRole('option', { name: 'QRIS' })).toBeInTheDocument());
    await user.selectOptions(filter, 'QRIS');
    expect(window.location.search).toBe(`?channel_id=${QRIS_ID}`);
    // The period's figures and the balance up to its end, both through QRIS only.
    await waitFor(() =>
      expect(queries(calls, '/dashboard/summary').filter((q) => q.get('channel_id') === QRIS_ID)).toHaveLength(2),
    );
    await waitFor(() =>
      expect(queries(calls, '/dashboard/daily').some((q) => q.get('channel_id') === QRIS_ID)).toBe(true),
    );
    expect(queries(calls, '/dashboard/channels').every((q) => !q.has('channel_id'))).toBe(true);
    expect(screen.getByText('Dari semua metode bayar')).toBeInTheDocument();
  });
});

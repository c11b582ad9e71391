import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Call } from '@/test/mockApi';
import { branch, renderConsole } from '../../test/renderConsole';

const days = [
  { date: '2025-12-01', total_in: 1_000_000, total_out: 200_000, balance: 800_000, voided_count: 0, voided_total: 0 },
  {
    date: '2025-12-02',
    total_in: 500_000,
    total_out: 100_000,
    balance: 1_200_000,
    voided_count: 2,
    voided_total: 40_000,
  },
];

const entry = {
  id: 'tx-1111-2222',
  branch_id: 'b1',
  type: 'IN',
  category: 'Penjualan',
  amount: 500_000,
  description: 'nasi box 50',
  occurred_at: '2025-12-02T03:15:00Z',
  created_at: '2025-12-02T03:15:05Z',
  reverses_id: null,
  voided_by: null,
  channel_id: 'ch-qris',
  channel_name: 'QRIS',
  received_at: '2025-12-02T03:16:00Z',
};

function render() {
  return renderConsole('/cabang/b1?period=custom&from=2025-12-01&to=2025-12-31', {
    'GET /branches': () => ({ data: [branch('b1', 'BDG01', 'Bandung')] }),
    'GET /reports/daily': () => ({ data: days }),
    'GET /transactions': () => ({ data: { items: [entry], page: 1, limit: 20, total: 41, total_pages: 3 } }),
  });
}

const lastTxQuery = (calls: Call[]) =>
  Object.fromEntries(calls.filter((c) => c.path === '/transactions').at(-1)!.query);

describe('branch drill-down', () => {
  it("asks for the branch's days in the period and shows them", async () => {
    const { calls } = render();
    const rows = await screen.findAllByTestId('daily-row');
    expect(screen.getByRole('heading', { name: 'BDG01 · Bandung' })).toBeInTheDocument();
    const daily = calls.find((c) => c.path === '/reports/daily')!;
    expect(Object.fromEntries(daily.query)).toEqual({ branch_id: 'b1', from: '2025-12-01', to: '2025-12-31' });
    expect(rows[1]).toHaveTextContent('02/12/2025');
    expect(rows[1]).toHaveTextContent('Rp 400.000');
    expect(rows[1]).toHaveTextContent('Rp 1.200.000');
  });

  it("lists a day's entries with the right query, filters and pages, and shows an entry", async () => {
    const { calls } = render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '02/12/2025' }));
    await screen.findByTestId('entries-table');
    expect(lastTxQuery(calls)).toEqual({
      branch_id: 'b1',
      from: '2025-12-02',
      to: '2025-12-02',
      page: '1',
      limit: '20',
    });

    await user.click(screen.getByRole('button', { name: 'Berikutnya' }));
    await waitFor(() => expect(lastTxQuery(calls).page).toBe('2'));

    await user.selectOptions(screen.getByLabelText('Jenis'), 'IN');
    await user.selectOptions(screen.getByLabelText('Kategori'), 'Penjualan');
    await user.selectOptions(screen.getByLabelText('Metode bayar'), 'ch-qris');
    await user.type(screen.getByLabelText('Cari keterangan atau kategori'), 'nasi');
    await waitFor(() =>
      expect(lastTxQuery(calls)).toEqual({
        branch_id: 'b1',
        from: '2025-12-02',
        to: '2025-12-02',
        page: '1',
        limit: '20',
        type: 'IN',
        category: 'Penjualan',
        channel_id: 'ch-qris',
        q: 'nasi',
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Penjualan' }));
    const detail = await screen.findByTestId('entry-detail');
    expect(detail).toHaveTextContent('QRIS');
    expect(detail).toHaveTextContent('Rp 500.000');
    expect(within(detail).getByText('Diterima pusat').nextSibling).toHaveTextContent('02/12/2025 10.16 WIB');
  });
});

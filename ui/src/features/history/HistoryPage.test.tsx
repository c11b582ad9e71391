import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QRIS_ID, defaultLists, emptySummary, mockApi, storedTx, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { DetailPanel } from './DetailPanel';
import { HistoryPage } from './HistoryPage';

const empty = { items: [], page: 1, limit: 20, total: 0, total_pages: 0 };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('HistoryPage', () => {
  it('tells a new branch its book is empty, and a filtered one that nothing matches', async () => {
    mockApi({
      'GET /transactions': () => ({ data: empty }),
      'GET /categories': () => ({ data: [] }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    expect(await screen.findByText(/Belum ada transaksi/)).toBeInTheDocument();
    expect(screen.queryByText(/cocok dengan filter/)).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Cari'), 'beras');
    expect(await screen.findByText(/cocok dengan filter/)).toBeInTheDocument();
  });

  it('says an entry was voided by a reversing entry, not by someone with an odd name', async () => {
    const original = {
      ...storedTx({ id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11', type: 'OUT', amount: 20_000, category: 'Operasional' }),
      voided_by: 'd9e33211-3c1e-4c55-9d0a-6f1f0e0b7a11',
    };
    mockApi({ [`GET /transactions/${original.id}`]: () => ({ data: original }) });
    renderWithApp(<DetailPanel id={original.id as string} onSelect={() => {}} />);
    expect(await screen.findByText('Dibatalkan dengan transaksi pembalik d9e33211')).toBeInTheDocument();
  });

  it('puts the focus back where it was when Esc closes the void dialog', async () => {
    const tx = storedTx({
      id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11',
      type: 'OUT',
      amount: 20_000,
      category: 'Operasional',
    });
    mockApi({ [`GET /transactions/${tx.id}`]: () => ({ data: tx }) });
    const user = userEvent.setup();
    renderWithApp(<DetailPanel id={tx.id as string} onSelect={() => {}} />);
    const open = await screen.findByTestId('void-open');
    open.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('void-dialog')).toBeInTheDocument();
    expect(screen.getByLabelText(/Alasan/)).toHaveFocus();
    expect(open).not.toHaveFocus();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('void-dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(open).toHaveFocus());
  });

  it('adds up the whole filtered list above it, with the same filters, cancelled pairs apart', async () => {
    const tx = storedTx({
      id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11',
      type: 'OUT',
      amount: 20_000,
      category: 'Operasional',
    });
    const { calls } = mockApi({
      'GET /transactions': () => ({ data: { items: [tx], page: 1, limit: 20, total: 41, total_pages: 3 } }),
      'GET /transactions/totals': () => ({
        data: {
          total_in: 1_500_000,
          total_out: 1_750_000,
          balance: -250_000,
          transaction_count: 39,
          count_in: 10,
          count_out: 29,
          voided_count: 2,
          voided_total: 40_000,
        },
      }),
      'GET /categories': () => ({ data: [] }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    expect(await screen.findByTestId('list-total-in')).toHaveTextContent('Rp 1.500.000');
    expect(screen.getByTestId('list-total-out')).toHaveTextContent('−Rp 1.750.000');
    expect(screen.getByTestId('list-net')).toHaveTextContent('−Rp 250.000');
    expect(screen.getByTestId('list-voided')).toHaveTextContent('2 dibatalkan, Rp 40.000');
    await user.selectOptions(screen.getByTestId('filter-type'), 'OUT');
    await waitFor(() => {
      const last = calls.filter((c) => c.path === '/transactions/totals').at(-1)!;
      expect(last.query.get('type')).toBe('OUT');
      expect(last.query.has('page')).toBe(false);
    });
  });

  it('filters by payment method, retired ones marked, in the list, its totals and the address', async () => {
    const lists = {
      ...defaultLists,
      channels: [
        ...defaultLists.channels,
        { id: '5d0c4b1e-2a3f-4b6c-8d9e-0f1a2b3c4d5e', name: 'Voucher', kind: 'non_cash' as const, active: false },
      ],
    };
    const { calls } = mockApi({
      'GET /lists': () => ({ data: lists }),
      'GET /transactions': () => ({ data: empty }),
      'GET /transactions/totals': () => ({ data: emptySummary }),
      'GET /categories': () => ({ data: [] }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    const filter = screen.getByLabelText('Metode bayar');
    await waitFor(() =>
      expect([...filter.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
        'Semua metode bayar',
        'Tunai',
        'QRIS',
        'Transfer Bank',
        'EDC/Kartu',
        'Voucher (nonaktif)',
      ]),
    );
    await user.selectOptions(filter, 'QRIS');
    const last = (path: string) => calls.filter((c: Call) => c.path === path).at(-1)?.query;
    await waitFor(() => expect(last('/transactions')?.get('channel_id')).toBe(QRIS_ID));
    await waitFor(() => expect(last('/transactions/totals')?.get('channel_id')).toBe(QRIS_ID));
    expect(window.location.search).toBe(`?channel_id=${QRIS_ID}`);
    expect(await screen.findByText(/cocok dengan filter/)).toBeInTheDocument();
  });

  it('shows the name a payment method had when the entry was made, after HQ renamed it', async () => {
    const renamed = {
      ...defaultLists,
      channels: defaultLists.channels.map((c) => (c.id === QRIS_ID ? { ...c, name: 'QRIS BCA' } : c)),
    };
    const tx = storedTx({
      id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11',
      type: 'IN',
      amount: 50_000,
      category: 'Penjualan',
      channel_id: QRIS_ID,
      channel_name: 'QRIS',
    });
    mockApi({
      'GET /lists': () => ({ data: renamed }),
      'GET /transactions': () => ({ data: { items: [tx], page: 1, limit: 20, total: 1, total_pages: 1 } }),
      'GET /transactions/totals': () => ({ data: emptySummary }),
      [`GET /transactions/${tx.id}`]: () => ({ data: tx }),
      'GET /categories': () => ({ data: [] }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    const row = await screen.findByTestId('tx-row');
    expect(within(row).getByTestId('tx-channel')).toHaveTextContent(/^QRIS$/);
    await waitFor(() => expect(screen.getByRole('option', { name: 'QRIS BCA' })).toBeInTheDocument());
    await user.click(row);
    expect(await screen.findByTestId('detail-channel')).toHaveTextContent(/^QRIS$/);
  });
});

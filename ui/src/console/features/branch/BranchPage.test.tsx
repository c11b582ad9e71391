import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Call } from '@/test/mockApi';
import type { HqShift } from '../../api/types';
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

/** A closed shift of PC `pc-bandung-1` on 2 Dec 2025; `s` changes any field. */
function shift(id: string, s: Partial<HqShift> = {}): HqShift {
  return {
    id,
    branch_id: 'b1',
    device_id: 'pc-bandung-1',
    business_date: '2025-12-02',
    status: 'closed',
    opened_at: '2025-12-02T01:00:00Z',
    opened_by: 'st-ani',
    opened_by_name: 'Ani',
    opening_float: 200_000,
    suggested_float: 200_000,
    opening_difference: 0,
    opening_note: null,
    cash_in: 1_000_000,
    cash_out: 100_000,
    entries: 12,
    expected: 1_100_000,
    closed_at: '2025-12-02T10:00:00Z',
    closed_by: 'st-ani',
    closed_by_name: 'Ani',
    counts: null,
    counted: 1_100_000,
    difference: 0,
    close_note: null,
    approved_by: null,
    approved_by_name: null,
    received_at: '2025-12-02T10:01:00Z',
    ...s,
  };
}

/** Short by Rp 5.000: 3 × 50.000 + 2 × 10.000 + 4 × 500 counted against 177.000 expected. */
const short = shift('sh-short', {
  business_date: '2025-12-03',
  opened_at: '2025-12-03T01:00:00Z',
  opening_float: 150_000,
  suggested_float: 170_000,
  opening_difference: -20_000,
  opening_note: 'dipakai beli galon',
  cash_in: 30_000,
  cash_out: 3_000,
  entries: 4,
  expected: 177_000,
  closed_at: '2025-12-03T10:30:00Z',
  closed_by_name: 'Budi',
  counts: { note_50000: 3, note_10000: 2, note_5000: 0, coin_500: 4 },
  counted: 172_000,
  difference: -5_000,
  close_note: 'uang kembalian kurang',
  approved_by: 'st-sari',
  approved_by_name: 'Sari',
});
const over = shift('sh-over', { counted: 1_102_000, difference: 2_000, opened_by_name: null });
const open = shift('sh-open', {
  business_date: '2025-12-04',
  opened_at: '2025-12-04T01:00:00Z',
  status: 'open',
  closed_at: null,
  closed_by: null,
  closed_by_name: null,
  counted: null,
  difference: null,
  received_at: '2025-12-04T05:30:00Z',
});

type ShiftAnswer = (call: Call) => { data: unknown };

const shiftPage =
  (items: HqShift[], pages = 1): ShiftAnswer =>
  (call) => ({
    data: { items, page: Number(call.query.get('page')), limit: 20, total: pages * 20, total_pages: pages },
  });

function render(shifts: ShiftAnswer = shiftPage([open, short, over])) {
  return renderConsole('/cabang/b1?period=custom&from=2025-12-01&to=2025-12-31', {
    'GET /branches': () => ({ data: [branch('b1', 'BDG01', 'Bandung')] }),
    'GET /reports/daily': () => ({ data: days }),
    'GET /transactions': () => ({ data: { items: [entry], page: 1, limit: 20, total: 41, total_pages: 3 } }),
    'GET /branches/b1/shifts': shifts,
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

const lastShiftQuery = (calls: Call[]) =>
  Object.fromEntries(calls.filter((c) => c.path === '/branches/b1/shifts').at(-1)!.query);

describe("a branch's cash shifts", () => {
  it('lists the shifts of the period with their difference: short in red, over, exact, still open', async () => {
    const { calls } = render();
    const table = await screen.findByTestId('shifts-table');
    expect(lastShiftQuery(calls)).toEqual({ from: '2025-12-01', to: '2025-12-31', page: '1', limit: '20' });
    const [openRow, shortRow, overRow] = within(table).getAllByTestId('shift-row');

    expect(shortRow).toHaveTextContent('03/12/2025');
    expect(shortRow).toHaveTextContent('03/12/2025 08.00 WIB');
    expect(shortRow).toHaveTextContent('Ani');
    expect(shortRow).toHaveTextContent('pc-bandu');
    expect(shortRow).not.toHaveTextContent('pc-bandung-1');
    expect(shortRow).toHaveTextContent('Rp 177.000');
    expect(shortRow).toHaveTextContent('Rp 172.000');
    expect(shortRow).toHaveTextContent('Ditutup');
    expect(shortRow).toHaveTextContent('uang kembalian kurang');
    const difference = within(shortRow!).getByTestId('shift-difference');
    expect(difference).toHaveTextContent('−Rp 5.000');
    expect(difference.firstElementChild).toHaveClass('text-expense');

    expect(within(overRow!).getByTestId('shift-difference')).toHaveTextContent('+Rp 2.000');
    expect(within(overRow!).getByTestId('shift-difference').firstElementChild).not.toHaveClass('text-expense');
    expect(within(overRow!).getAllByRole('cell')[2]).toHaveTextContent('—');

    expect(openRow).toHaveTextContent('Terbuka');
    expect(openRow).toHaveTextContent('per sinkron terakhir');
    expect(within(openRow!).getByTestId('shift-difference')).toHaveTextContent('—');
  });

  it('says "pas" for a drawer that matched', async () => {
    render(shiftPage([shift('sh-exact')]));
    const row = await screen.findByTestId('shift-row');
    expect(within(row).getByTestId('shift-difference')).toHaveTextContent(/^pas$/);
  });

  it("opens a shift's detail by keyboard, with the count by denomination, the float and who approved", async () => {
    render();
    const user = userEvent.setup();
    await screen.findByTestId('shifts-table');
    const opener = screen.getByRole('button', { name: '03/12/2025 08.00 WIB' });
    opener.focus();
    await user.keyboard('{Enter}');
    const detail = await screen.findByRole('dialog', { name: 'Shift kasir 03/12/2025' });

    const lines = within(detail).getAllByTestId('count-line');
    expect(lines.map((l) => [...l.children].map((c) => c.textContent))).toEqual([
      ['Uang kertas Rp 50.000', '× 3', 'Rp 150.000'],
      ['Uang kertas Rp 10.000', '× 2', 'Rp 20.000'],
      ['Koin Rp 500', '× 4', 'Rp 2.000'],
    ]);
    expect(within(detail).getByTestId('count-total')).toHaveTextContent('Rp 172.000');

    const field = (label: string) => within(detail).getByText(label).nextSibling;
    expect(field('Seharusnya')).toHaveTextContent('Rp 177.000');
    expect(field('Dihitung')).toHaveTextContent('Rp 172.000');
    expect(field('Selisih')).toHaveTextContent('−Rp 5.000 (kurang)');
    expect(field('Uang awal')).toHaveTextContent('Rp 150.000');
    expect(field('Selisih uang awal')).toHaveTextContent('−Rp 20.000 (kurang)');
    expect(field('Alasan uang awal berbeda')).toHaveTextContent('dipakai beli galon');
    expect(field('Ditutup oleh')).toHaveTextContent('Budi');
    expect(field('Selisih disetujui oleh')).toHaveTextContent('Sari');
    expect(field('Keterangan selisih')).toHaveTextContent('uang kembalian kurang');

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(opener).toHaveFocus();
  });

  it("shows an open shift's expected cash as of the PC's last sync", async () => {
    render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '04/12/2025 08.00 WIB' }));
    const detail = await screen.findByRole('dialog', { name: 'Shift kasir 04/12/2025' });
    const expected = within(detail).getByText('Seharusnya sejauh ini').nextSibling;
    expect(expected).toHaveTextContent('Rp 1.100.000');
    expect(expected).toHaveTextContent('Per sinkron terakhir komputer cabang (04/12/2025 12.30 WIB)');
    expect(within(detail).queryByText('Dihitung')).not.toBeInTheDocument();
    expect(within(detail).queryByTestId('shift-counts')).not.toBeInTheDocument();
  });

  it('pages through the shifts, and says so when the period has none', async () => {
    const { calls, unmount } = render(shiftPage([short], 2));
    const user = userEvent.setup();
    await screen.findByTestId('shifts-table');
    expect(screen.getByTestId('total-count')).toHaveTextContent('40 shift');
    await user.click(screen.getByRole('button', { name: 'Berikutnya' }));
    await waitFor(() => expect(lastShiftQuery(calls).page).toBe('2'));
    unmount();

    render(shiftPage([]));
    expect(await screen.findByText('Tidak ada shift kasir pada periode ini.')).toBeInTheDocument();
  });
});

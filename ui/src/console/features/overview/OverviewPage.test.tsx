import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { businessDate } from '@/lib/time';
import type { Call } from '@/test/mockApi';
import type { HqShift, ShiftAttention } from '../../api/types';
import { branch, figures, hoursAgo, renderConsole } from '../../test/renderConsole';

const total = (f: { total_in: number; total_out: number; balance: number }) => ({
  transaction_count: 0,
  voided_count: 0,
  voided_total: 0,
  ...f,
});

const allTime = {
  branches: [
    figures('b1', 'BDG01', 'Bandung', { balance: 1_500_000, last_seen_at: hoursAgo(2) }),
    figures('b2', 'SBY01', 'Surabaya', { balance: 250_000, last_seen_at: hoursAgo(50) }),
    figures('b3', 'MLG01', 'Malang', { balance: 0, last_seen_at: null }),
  ],
  total: total({ total_in: 9_000_000, total_out: 7_250_000, balance: 1_750_000 }),
};

const period = {
  branches: [
    figures('b1', 'BDG01', 'Bandung', {
      total_in: 2_000_000,
      total_out: 500_000,
      balance: 1_500_000,
      transaction_count: 30,
      voided_count: 1,
      shifts_closed: 6,
      shift_difference: -25_000,
      shift_short: -30_000,
      shift_over: 5_000,
    }),
    figures('b2', 'SBY01', 'Surabaya', {
      total_in: 900_000,
      total_out: 1_200_000,
      balance: -300_000,
      transaction_count: 8,
      voided_count: 2,
      shifts_closed: 3,
      shift_difference: 2_000,
      shift_short: 0,
      shift_over: 2_000,
    }),
    figures('b3', 'MLG01', 'Malang', { total_in: 5_000_000, total_out: 0, balance: 5_000_000, transaction_count: 12 }),
  ],
  total: {
    total_in: 7_900_000,
    total_out: 1_700_000,
    balance: 6_200_000,
    transaction_count: 50,
    voided_count: 3,
    voided_total: 60_000,
  },
};

/** What `GET /reports/daily` answers: every day of the asked range, or for all time `allDays`. */
type DailyAnswer = (call: Call) => unknown[];

const dailyRow = (date: string, total_in: number, total_out: number, balance: number) => ({
  date,
  total_in,
  total_out,
  balance,
  voided_count: 0,
  voided_total: 0,
});

/** `n` consecutive days from `first`, 100.000 in and 40.000 out each, the balance running on. */
function days(first: string, n: number) {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    dailyRow(
      new Date(start + i * 86_400_000).toISOString().slice(0, 10),
      100_000,
      40_000,
      1_000_000 + (i + 1) * 60_000,
    ),
  );
}

const twoDays: DailyAnswer = (call) => [
  dailyRow(call.query.get('from') ?? '2026-01-01', 2_000_000, 500_000, 4_500_000),
  dailyRow(call.query.get('to') ?? '2026-01-02', 900_000, 1_200_000, 4_200_000),
];

const noShiftAttention: ShiftAttention = { threshold: 10_000, open_hours: 24, open_long: [], large_differences: [] };

function render(path = '/', daily: DailyAnswer = twoDays, shifts: ShiftAttention = noShiftAttention) {
  return renderConsole(path, {
    'GET /reports/summary': (call) => ({ data: call.query.has('from') ? period : allTime }),
    'GET /reports/daily': (call) => ({ data: daily(call) }),
    'GET /branches': () => ({ data: [branch('b1', 'BDG01', 'Bandung'), branch('b2', 'SBY01', 'Surabaya')] }),
    'GET /shifts/attention': () => ({ data: shifts }),
  });
}

const dailyCalls = (calls: Call[]) => calls.filter((c) => c.path === '/reports/daily');

const names = () => screen.getAllByTestId('comparison-row').map((r) => within(r).getByRole('link').textContent);

describe('overview', () => {
  it('shows the cash position and each branch as of its last contact, in rupiah', async () => {
    render();
    expect(await screen.findByTestId('cash-total')).toHaveTextContent('Rp 1.750.000');
    const rows = screen.getAllByTestId('branch-cash');
    expect(rows[0]).toHaveTextContent('Bandung');
    expect(rows[0]).toHaveTextContent('Rp 1.500.000');
    expect(rows[0]).toHaveTextContent('per 2 jam lalu');
    expect(
      within(rows[0]!)
        .getByText(/per 2 jam lalu/)
        .closest('time'),
    ).toHaveAttribute('title', expect.stringMatching(/^\d{2}\/\d{2}\/\d{4} \d{2}\.\d{2} WIB$/));
    expect(rows[2]).toHaveTextContent('belum pernah');
  });

  it('asks for the month by default and shows its in, out and net', async () => {
    const { calls } = render();
    expect(await screen.findByTestId('figure-in')).toHaveTextContent('Rp 7.900.000');
    expect(screen.getByTestId('figure-out')).toHaveTextContent('−Rp 1.700.000');
    expect(screen.getByTestId('figure-net')).toHaveTextContent('Rp 6.200.000');
    expect(screen.getByTestId('period-counts')).toHaveTextContent('50 transaksi · 3 dibatalkan (Rp 60.000)');
    const asked = calls.filter((c) => c.path === '/reports/summary').map((c) => c.query.get('from'));
    expect(asked).toContain(null);
    expect(asked.some((from) => from?.endsWith('-01'))).toBe(true);
  });

  it('lists a silent branch, a never-seen one and one with many voids as needing attention', async () => {
    render();
    const items = await within(await screen.findByTestId('attention')).findAllByTestId('attention-item');
    expect(items.map((i) => i.dataset.kind)).toEqual(['never', 'stale', 'voids']);
    expect(items[0]).toHaveTextContent('MLG01 · Malang');
    expect(items[1]).toHaveTextContent('SBY01 · Surabaya');
    expect(items[1]).toHaveTextContent('Tidak ada kontak sejak 2 hari lalu');
    expect(items[2]).toHaveTextContent('20% pembatalan');
    // Bandung: 2 hours ago and 1 void in 31 rows (3%) is fine.
    expect(screen.getByTestId('attention')).not.toHaveTextContent('Bandung');
  });

  it('lists a shift open for over a day and a close with a large difference, each linking to its branch', async () => {
    const shift: HqShift = {
      id: 'sh-1',
      branch_id: 'b1',
      device_id: 'pc-bandung-1',
      business_date: '2025-12-06',
      status: 'open',
      opened_at: hoursAgo(30),
      opened_by: 'st-ani',
      opened_by_name: 'Ani',
      opening_float: 200_000,
      suggested_float: null,
      opening_difference: 0,
      opening_note: null,
      cash_in: 0,
      cash_out: 0,
      entries: 0,
      expected: 200_000,
      closed_at: null,
      closed_by: null,
      closed_by_name: null,
      counts: null,
      counted: null,
      difference: null,
      close_note: null,
      approved_by: null,
      approved_by_name: null,
      received_at: hoursAgo(2),
    };
    const closed: HqShift = {
      ...shift,
      id: 'sh-2',
      status: 'closed',
      opened_by_name: 'Budi',
      closed_at: hoursAgo(20),
      closed_by_name: 'Budi',
      counted: 175_000,
      difference: -25_000,
    };
    render('/', twoDays, { threshold: 10_000, open_hours: 24, open_long: [shift], large_differences: [closed] });
    const panel = await screen.findByTestId('attention');
    await waitFor(() =>
      expect(
        within(panel)
          .getAllByTestId('attention-item')
          .map((i) => i.dataset.kind),
      ).toEqual(['never', 'stale', 'shift_open', 'shift_difference', 'voids']),
    );
    const [, , open, difference] = within(panel).getAllByTestId('attention-item');
    expect(open).toHaveTextContent('BDG01 · Bandung');
    expect(open).toHaveTextContent('Shift kasir (Ani) masih terbuka lebih dari 24 jam');
    expect(open).toHaveTextContent(/dibuka \d{2}\/\d{2}\/\d{4} \d{2}\.\d{2} WIB \(1 hari lalu\)/);
    expect(difference).toHaveTextContent(
      'Tutup kasir 06/12/2025 (Budi) dengan selisih di atas Rp 10.000: −Rp 25.000 (kurang)',
    );

    await userEvent.setup().click(within(difference!).getByRole('link', { name: 'BDG01 · Bandung' }));
    await waitFor(() => expect(window.location.pathname).toBe('/cabang/b1'));
  });

  it('sorts the branch comparison by a column header, by mouse and by keyboard', async () => {
    render();
    await screen.findByTestId('comparison');
    expect(names()).toEqual(['Bandung', 'Malang', 'Surabaya']);
    const user = userEvent.setup();
    const inHeader = screen.getByRole('button', { name: 'Masuk' });
    await user.click(inHeader);
    expect(names()).toEqual(['Malang', 'Bandung', 'Surabaya']);
    expect(inHeader.closest('th')).toHaveAttribute('aria-sort', 'descending');
    await user.click(inHeader);
    expect(names()).toEqual(['Surabaya', 'Bandung', 'Malang']);
    expect(inHeader.closest('th')).toHaveAttribute('aria-sort', 'ascending');

    const voids = screen.getByRole('button', { name: 'Dibatalkan' });
    voids.focus();
    await user.keyboard('{Enter}');
    expect(names()).toEqual(['Surabaya', 'Bandung', 'Malang']);
    await user.keyboard(' ');
    expect(names()).toEqual(['Malang', 'Bandung', 'Surabaya']);
  });

  it("shows each branch's cash difference of its closed shifts, most short first when sorted by it", async () => {
    render();
    await screen.findByTestId('comparison');
    const cell = (name: string) =>
      within(screen.getByRole('link', { name }).closest('tr')!).getByTestId('comparison-shift-difference');
    expect(cell('Bandung')).toHaveTextContent('−Rp 25.000');
    expect(within(cell('Bandung')).getByText('−Rp 25.000')).toHaveClass('text-expense');
    expect(cell('Bandung')).toHaveTextContent('6 tutup kasir');
    expect(cell('Bandung').firstElementChild).toHaveAttribute('title', 'Kurang Rp 30.000, lebih Rp 5.000');
    expect(cell('Surabaya')).toHaveTextContent('+Rp 2.000');
    expect(within(cell('Surabaya')).getByText('+Rp 2.000')).not.toHaveClass('text-expense');
    // Malang: an HQ that does not count shifts (or no close in the period) shows nothing.
    expect(cell('Malang')).toHaveTextContent(/^—$/);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Selisih kas' }));
    expect(names()).toEqual(['Bandung', 'Malang', 'Surabaya']);
  });

  it('opens a branch page from the comparison', async () => {
    render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Surabaya' }));
    await waitFor(() => expect(window.location.pathname).toBe('/cabang/b2'));
  });
});

describe('overview chart', () => {
  it('charts the month of the whole business by day, with its numbers in a hidden table', async () => {
    const { calls } = render();
    const caption = await screen.findByTestId('chart-caption');
    const today = businessDate(new Date());
    const asked = dailyCalls(calls);
    expect(asked.length).toBeGreaterThan(0);
    for (const c of asked) {
      expect(c.query.get('from')).toBe(`${today.slice(0, 7)}-01`);
      expect(c.query.get('to')).toBe(today);
      expect(c.query.has('branch_id')).toBe(false);
    }
    const [y, mo, d] = today.split('-');
    expect(caption).toHaveTextContent(`Per hari, 01/${mo}/${y} – ${d}/${mo}/${y}`);
    const points = screen.getAllByTestId('chart-point');
    expect(points).toHaveLength(2);
    expect(points[0]).toHaveTextContent(`01/${mo}/${y}`);
    expect(points[0]).toHaveTextContent('Rp 2.000.000');
    expect(points[0]).toHaveTextContent('Rp 500.000');
    expect(points[1]).toHaveTextContent('Rp 4.200.000');
  });

  it('asks for the custom dates of the period', async () => {
    const { calls } = render('/?period=custom&from=2026-01-05&to=2026-01-20');
    expect(await screen.findByTestId('chart-caption')).toHaveTextContent('Per hari, 05/01/2026 – 20/01/2026');
    const asked = dailyCalls(calls);
    expect(asked.map((c) => [c.query.get('from'), c.query.get('to')])).toContainEqual(['2026-01-05', '2026-01-20']);
  });

  it('groups all time by month when it spans more than 120 days, and says so', async () => {
    // 2025-11-01 .. 2026-03-31: 151 days.
    const { calls } = render('/?period=all', (call) => (call.query.has('from') ? [] : days('2025-11-01', 151)));
    const caption = await screen.findByTestId('chart-caption');
    expect(caption).toHaveTextContent('Per bulan, 11/2025 – 03/2026');
    expect(caption).toHaveTextContent('lebih dari 120 hari');
    expect(dailyCalls(calls).some((c) => !c.query.has('from') && !c.query.has('to'))).toBe(true);
    const table = screen.getByTestId('chart-table');
    expect(within(table).getByRole('columnheader', { name: 'Bulan' })).toBeInTheDocument();
    const points = screen.getAllByTestId('chart-point');
    expect(points.map((p) => within(p).getByRole('rowheader').textContent)).toEqual([
      '11/2025',
      '12/2025',
      '01/2026',
      '02/2026',
      '03/2026',
    ]);
    // February: 28 days of 100.000 in and 40.000 out; it closes on day 120's balance.
    const cells = within(points[3]!).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual(['Rp 2.800.000', 'Rp 1.120.000', 'Rp 8.200.000']);
  });

  it('narrows the chart to the branch chosen above it', async () => {
    const { calls } = render();
    await screen.findByTestId('chart-caption');
    const select = screen.getByRole('combobox', { name: 'Cabang pada grafik' });
    await within(select).findByRole('option', { name: 'SBY01 · Surabaya' });
    await userEvent.setup().selectOptions(select, 'b2');
    await waitFor(() => expect(dailyCalls(calls).some((c) => c.query.get('branch_id') === 'b2')).toBe(true));
    const narrowed = dailyCalls(calls).find((c) => c.query.get('branch_id') === 'b2')!;
    expect(narrowed.query.get('from')).toMatch(/-01$/);
    expect(new URLSearchParams(window.location.search).get('branch_id')).toBe('b2');
    expect(select).toHaveValue('b2');
  });

  it('says so when the period has no money in or out', async () => {
    render('/', () => []);
    expect(await screen.findByText('Tidak ada transaksi pada periode ini.')).toBeInTheDocument();
  });
});

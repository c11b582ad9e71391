import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { figures, hoursAgo, renderConsole } from '../../test/renderConsole';

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
    }),
    figures('b2', 'SBY01', 'Surabaya', {
      total_in: 900_000,
      total_out: 1_200_000,
      balance: -300_000,
      transaction_count: 8,
      voided_count: 2,
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

function render() {
  return renderConsole('/', {
    'GET /reports/summary': (call) => ({ data: call.query.has('from') ? period : allTime }),
  });
}

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

  it('opens a branch page from the comparison', async () => {
    render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Surabaya' }));
    await waitFor(() => expect(window.location.pathname).toBe('/cabang/b2'));
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { branch, figures, hqSettings, renderConsole } from '../test/renderConsole';

const entry = {
  id: 'tx-1111-2222',
  branch_id: 'b1',
  type: 'IN',
  category: 'Penjualan',
  amount: 500_000,
  description: null,
  // 23:15 UTC on 1 Dec: 07:15 on 2 Dec in Makassar (WITA, UTC+8), 06:15 in Jakarta.
  occurred_at: '2025-12-01T23:15:00Z',
  created_at: '2025-12-01T23:15:05Z',
  reverses_id: null,
  voided_by: null,
  channel_id: 'ch-cash',
  channel_name: 'Tunai',
  received_at: '2025-12-01T23:16:00Z',
};

function drillDown(settings: Parameters<typeof renderConsole>[1][string]) {
  return renderConsole('/cabang/b1?period=custom&from=2025-12-01&to=2025-12-31', {
    'GET /settings': settings,
    'GET /branches': () => ({ data: [branch('b1', 'BDG01', 'Bandung')] }),
    'GET /reports/daily': () => ({
      data: [
        { date: '2025-12-02', total_in: 500_000, total_out: 0, balance: 500_000, voided_count: 0, voided_total: 0 },
      ],
    }),
    'GET /transactions': () => ({ data: { items: [entry], page: 1, limit: 20, total: 1, total_pages: 1 } }),
  });
}

describe("HQ's time zone", () => {
  it('shows the entries of a WITA HQ in Makassar time, labelled WITA', async () => {
    const { calls } = drillDown(() => ({ data: hqSettings('Asia/Makassar', 'WITA', 480) }));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '02/12/2025' }));
    const table = await screen.findByTestId('entries-table');
    expect(within(table).getByText('02/12/2025 07.15 WITA')).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/settings')).toBe(true);
  });

  it('shows the time of last contact on the overview in WITA', async () => {
    renderConsole('/', {
      'GET /settings': () => ({ data: hqSettings('Asia/Makassar', 'WITA', 480) }),
      'GET /reports/summary': () => ({
        data: {
          branches: [figures('b1', 'BDG01', 'Bandung', { balance: 100, last_seen_at: '2025-12-08T06:45:00Z' })],
          total: { total_in: 0, total_out: 0, balance: 100, transaction_count: 0, voided_count: 0, voided_total: 0 },
        },
      }),
    });
    expect((await screen.findAllByText('(08/12/2025 14.45 WITA)', { exact: false })).length).toBeGreaterThan(0);
  });

  it('stays on Jakarta time (WIB) while HQ has not said its zone', async () => {
    drillDown(() => 'network');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '02/12/2025' }));
    const table = await screen.findByTestId('entries-table');
    expect(within(table).getByText('02/12/2025 06.15 WIB')).toBeInTheDocument();
  });
});

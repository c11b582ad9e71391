import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '@/test/mockApi';
import { catchDownloads, fileReply, releaseDownloads, type Saved } from '../../test/downloads';
import { branch, renderConsole } from '../../test/renderConsole';

const PERIOD = 'period=custom&from=2025-12-01&to=2025-12-31';
const days = [
  { date: '2025-12-01', total_in: 1_000_000, total_out: 200_000, balance: 800_000, voided_count: 0, voided_total: 0 },
];
const noShifts = { items: [], page: 1, limit: 20, total: 0, total_pages: 0 };

let saved: Saved[];
beforeEach(() => {
  saved = catchDownloads();
});
afterEach(releaseDownloads);

type Reply = Parameters<typeof renderConsole>[1][string];

function render(exportsReply: Reply = () => ({ body: 'PK\u0003\u0004' }), query = PERIOD) {
  return renderConsole(`/cabang/b1?${query}`, {
    'GET /branches': () => ({ data: [branch('b1', 'BDG01', 'Bandung')] }),
    'GET /reports/daily': () => ({ data: days }),
    'GET /transactions': () => ({ data: noShifts }),
    'GET /branches/b1/shifts': () => ({ data: noShifts }),
    'GET /reports/daily/export': exportsReply,
    'GET /transactions/export': exportsReply,
    'GET /branches/b1/shifts/export': exportsReply,
  });
}

const asked = (calls: Call[], path: string) =>
  calls.filter((c) => c.path === path).map((c) => Object.fromEntries(c.query));

describe('a branch’s exports', () => {
  it('downloads the daily report of the branch and the period, as a PDF too', async () => {
    const { calls } = render(() => fileReply('harian_BDG01_2025-12-01_2025-12-31.csv', '\uFEFFTanggal\r\n'));
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('daily-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('harian_BDG01_2025-12-01_2025-12-31.csv');
    await user.selectOptions(screen.getByTestId('daily-export-format'), 'PDF');
    await user.click(screen.getByTestId('daily-export-start'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(asked(calls, '/reports/daily/export')).toEqual([
      { branch_id: 'b1', from: '2025-12-01', to: '2025-12-31', format: 'csv', sep: ';', lang: 'id' },
      { branch_id: 'b1', from: '2025-12-01', to: '2025-12-31', format: 'pdf', lang: 'id' },
    ]);
  });

  it('downloads every entry of the branch in the period, not only the day opened', async () => {
    const { calls } = render(undefined, `${PERIOD}&day=2025-12-01&type=IN`);
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByTestId('branch-entries-export-format'), 'xlsx');
    await user.click(screen.getByTestId('branch-entries-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(asked(calls, '/transactions/export')).toEqual([
      { branch_id: 'b1', from: '2025-12-01', to: '2025-12-31', format: 'xlsx', lang: 'id' },
    ]);
    // Named by the branch's code when the server gives no name.
    expect(saved[0]!.name).toBe('transaksi_BDG01.xlsx');
    expect(
      [...(screen.getByTestId('branch-entries-export-format') as HTMLSelectElement).options].map((o) => o.value),
    ).toEqual([';', ',', 'xlsx']);
  });

  it('downloads the branch’s shifts of the period', async () => {
    const { calls } = render();
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByTestId('shifts-export-format'), 'Excel (XLSX)');
    await user.click(screen.getByTestId('shifts-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(asked(calls, '/branches/b1/shifts/export')).toEqual([
      { from: '2025-12-01', to: '2025-12-31', format: 'xlsx', lang: 'id' },
    ]);
    expect(saved[0]!.name).toBe('shift_BDG01.xlsx');
  });

  it('says when HQ does not know the branch', async () => {
    render(() => ({ status: 404, error: { code: 'not_found' } }));
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('shifts-export-start'));
    expect(await screen.findByTestId('shifts-export-error')).toHaveTextContent(
      'Cabang ini tidak ditemukan di kantor pusat.',
    );
    expect(saved).toEqual([]);
  });

  it('comes back to the sign-in screen when the session ended', async () => {
    render(() => ({ status: 401, error: { code: 'unauthorized' } }));
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('daily-export-start'));
    expect(await screen.findByText('Sesi Anda berakhir. Silakan masuk lagi.')).toBeInTheDocument();
    expect(screen.queryByTestId('daily-export-start')).not.toBeInTheDocument();
    expect(saved).toEqual([]);
  });
});

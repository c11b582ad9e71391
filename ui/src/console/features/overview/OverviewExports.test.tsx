import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessDate } from '@/lib/time';
import type { Call } from '@/test/mockApi';
import type { ShiftAttention } from '../../api/types';
import { catchDownloads, fileReply, releaseDownloads, type Saved } from '../../test/downloads';
import { branch, figures, renderConsole } from '../../test/renderConsole';

const CSV = '\uFEFFCabang;Masuk;Keluar\r\nBandung;2000000;500000\r\n';
const XLSX = 'PK\u0003\u0004workbook';

const summary = {
  branches: [figures('b1', 'BDG01', 'Bandung', { total_in: 2_000_000, total_out: 500_000, balance: 1_500_000 })],
  total: {
    total_in: 2_000_000,
    total_out: 500_000,
    balance: 1_500_000,
    transaction_count: 3,
    voided_count: 0,
    voided_total: 0,
  },
};
const noShiftAttention: ShiftAttention = { threshold: 10_000, open_hours: 24, open_long: [], large_differences: [] };

let saved: Saved[];
beforeEach(() => {
  saved = catchDownloads();
});
afterEach(releaseDownloads);

function render(path: string) {
  return renderConsole(path, {
    'GET /reports/summary': () => ({ data: summary }),
    'GET /reports/daily': () => ({ data: [] }),
    'GET /branches': () => ({ data: [branch('b1', 'BDG01', 'Bandung')] }),
    'GET /shifts/attention': () => ({ data: noShiftAttention }),
    'GET /reports/summary/export': (c) =>
      fileReply(`ringkasan_semua_${c.query.get('from')}_${c.query.get('to')}.${c.query.get('format')}`, CSV),
    'GET /transactions/export': () => fileReply('transaksi_semua_2025-12-01_2025-12-31.csv', CSV),
    'GET /reports/monthly': (c) => fileReply(`bulanan_${c.query.get('month')}.xlsx`, XLSX),
  });
}

const asked = (calls: Call[], path: string) =>
  calls.filter((c) => c.path === path).map((c) => Object.fromEntries(c.query));

describe('the overview’s exports', () => {
  it('downloads the branch comparison of the page’s period, in the format and language chosen', async () => {
    const { calls } = render('/?period=custom&from=2025-12-01&to=2025-12-31');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('summary-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(asked(calls, '/reports/summary/export')).toEqual([
      { from: '2025-12-01', to: '2025-12-31', format: 'csv', sep: ';', lang: 'id' },
    ]);
    expect(saved[0]!.name).toBe('ringkasan_semua_2025-12-01_2025-12-31.csv');
    expect(await screen.findByText('Ekspor selesai')).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId('language'), 'en');
    await user.selectOptions(screen.getByTestId('summary-export-format'), 'xlsx');
    expect(screen.getByTestId('summary-export-start')).toHaveTextContent('Export comparison');
    await user.click(screen.getByTestId('summary-export-start'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(asked(calls, '/reports/summary/export')[1]).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
      format: 'xlsx',
      lang: 'en',
    });
    // The comparison offers no PDF.
    const options = [...(screen.getByTestId('summary-export-format') as HTMLSelectElement).options];
    expect(options.map((o) => o.value)).toEqual([';', ',', 'xlsx']);
  });

  it('downloads every branch’s entries of the period: no branch named, the dates of the period', async () => {
    const { calls } = render('/?period=custom&from=2025-12-01&to=2025-12-31');
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByTestId('entries-export-format'), ',');
    await user.click(screen.getByTestId('entries-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(asked(calls, '/transactions/export')).toEqual([
      { from: '2025-12-01', to: '2025-12-31', format: 'csv', sep: ',', lang: 'id' },
    ]);
    expect(saved[0]!.name).toBe('transaksi_semua_2025-12-01_2025-12-31.csv');
  });

  it('sends no dates for all time', async () => {
    const { calls } = render('/?period=all');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('entries-export-start'));
    await user.click(await screen.findByTestId('summary-export-start'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(asked(calls, '/transactions/export')).toEqual([{ format: 'csv', sep: ';', lang: 'id' }]);
    expect(asked(calls, '/reports/summary/export')).toEqual([{ format: 'csv', sep: ';', lang: 'id' }]);
  });

  it('offers last month’s accountant report by default and sends the month picked as YYYY-MM', async () => {
    const { calls } = render('/');
    const user = userEvent.setup();
    const month = (await screen.findByTestId('monthly-month')) as HTMLInputElement;
    const [year, thisMonth] = businessDate().split('-').map(Number) as [number, number];
    const lastMonth = thisMonth === 1 ? `${year - 1}-12` : `${year}-${String(thisMonth - 1).padStart(2, '0')}`;
    expect(month).toHaveAttribute('type', 'month');
    expect(month.value).toBe(lastMonth);
    expect(screen.getByLabelText('Bulan laporan')).toBe(month);

    await user.click(screen.getByTestId('monthly-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(asked(calls, '/reports/monthly')).toEqual([{ month: lastMonth, lang: 'id' }]);
    expect(saved[0]!.name).toBe(`bulanan_${lastMonth}.xlsx`);

    fireEvent.change(month, { target: { value: '2025-11' } });
    await user.selectOptions(screen.getByTestId('language'), 'en');
    await user.click(screen.getByTestId('monthly-start'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(asked(calls, '/reports/monthly')[1]).toEqual({ month: '2025-11', lang: 'en' });
    expect(saved[1]!.name).toBe('bulanan_2025-11.xlsx');

    // No month: it says so, asks nothing and keeps the focus on the month.
    fireEvent.change(month, { target: { value: '' } });
    await user.click(screen.getByTestId('monthly-start'));
    expect(await screen.findByTestId('monthly-month-error')).toHaveTextContent('Pick a month, e.g.');
    expect(month).toHaveFocus();
    expect(month).toHaveAttribute('aria-invalid', 'true');
    expect(asked(calls, '/reports/monthly')).toHaveLength(2);
  });

  it('words a refused month from the envelope', async () => {
    const { calls } = renderConsole('/', {
      'GET /reports/summary': () => ({ data: summary }),
      'GET /reports/daily': () => ({ data: [] }),
      'GET /branches': () => ({ data: [] }),
      'GET /shifts/attention': () => ({ data: noShiftAttention }),
      'GET /reports/monthly': () => ({
        status: 400,
        error: { code: 'validation_failed', details: [{ field: 'month', issue: 'not a month', rule: 'format' }] },
      }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('monthly-start'));
    expect(await screen.findByTestId('monthly-error')).toHaveTextContent(
      'Isian tidak valid: Bulan: Formatnya tidak dikenali',
    );
    expect(calls.filter((c) => c.path === '/reports/monthly')).toHaveLength(1);
    expect(saved).toEqual([]);
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DailyRow } from '@/api/types';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { PAGE_STYLE_ID, PRINT_PAPER_KEY } from '@/lib/print';
import { fileReply as file, restoreDownloads, slowFile, stubDownloads, type Saved } from '@/test/downloads';
import { QRIS_ID, emptySummary, mockApi, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { DashboardPage } from './DashboardPage';

const DAILY_NAME = 'harian_JKT-01_2025-12-01_2025-12-31.csv';
const DAILY_PDF = 'harian_JKT-01_2025-12-01_2025-12-31.pdf';
const CATEGORY_NAME = 'kategori_JKT-01_2025-12-01_2025-12-31.xlsx';

const days: DailyRow[] = [
  { date: '2025-12-01', total_in: 1_500_000, total_out: 250_000, balance: 1_250_000, voided_count: 0, voided_total: 0 },
  { date: '2025-12-02', total_in: 0, total_out: 120_000, balance: 1_130_000, voided_count: 0, voided_total: 0 },
];

let saved: Saved[];

beforeEach(() => {
  saved = stubDownloads();
  localStorage.removeItem(PRINT_PAPER_KEY);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  restoreDownloads();
  localStorage.removeItem(PRINT_PAPER_KEY);
  document.getElementById(PAGE_STYLE_ID)?.remove();
  document.documentElement.removeAttribute('data-print-paper');
  document.documentElement.removeAttribute('data-print-target');
});

function api(extra: Parameters<typeof mockApi>[0] = {}, rows: DailyRow[] = []) {
  return mockApi({
    'GET /dashboard/summary': () => ({ data: { ...emptySummary, total_in: 1_500_000, total_out: 370_000 } }),
    'GET /dashboard/daily': () => ({ data: rows }),
    'GET /dashboard/categories': () => ({ data: [] }),
    'GET /dashboard/channels': () => ({ data: [] }),
    'GET /system/status': () => 'network',
    ...extra,
  });
}

/** Stubs the browser's print dialog, noting the paper, the report and the @page rule set when
 * it was opened. */
function stubPrint() {
  const seen: { paper: string | null; target: string | null; page: string | null | undefined }[] = [];
  vi.spyOn(window, 'print').mockImplementation(() => {
    const html = document.documentElement;
    seen.push({
      paper: html.getAttribute('data-print-paper'),
      target: html.getAttribute('data-print-target'),
      page: document.getElementById(PAGE_STYLE_ID)?.textContent,
    });
  });
  return { seen };
}

const sent = (calls: Call[], path: string) => calls.filter((c) => c.path === path).map((c) => c.query);
const DECEMBER = `/?period=custom&from=2025-12-01&to=2025-12-31&channel_id=${QRIS_ID}`;

describe('Beranda: the daily report’s export', () => {
  it('sends the period and payment method shown, the format and the language chosen', async () => {
    window.history.replaceState(null, '', DECEMBER);
    let name: string | null = DAILY_NAME;
    const { calls } = api({ 'GET /dashboard/daily/export': () => file(name) });
    const user = userEvent.setup();
    renderWithApp(
      <>
        <LanguageSwitch />
        <DashboardPage />
      </>,
    );

    await user.click(screen.getByTestId('daily-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(sent(calls, '/dashboard/daily/export')[0]!)).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
      channel_id: QRIS_ID,
      format: 'csv',
      sep: ';',
      lang: 'id',
    });
    expect(saved[0]!.name).toBe(DAILY_NAME);
    expect(await screen.findByText(`File ${DAILY_NAME} (1 KB) diunduh.`)).toBeInTheDocument();

    // As a PDF, in English: no separator; the file named by the server.
    name = DAILY_PDF;
    await user.selectOptions(screen.getByTestId('language'), 'en');
    await user.selectOptions(screen.getByTestId('daily-export-format'), 'PDF');
    await user.click(screen.getByRole('button', { name: 'Export the daily report' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(Object.fromEntries(sent(calls, '/dashboard/daily/export')[1]!)).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
      channel_id: QRIS_ID,
      format: 'pdf',
      lang: 'en',
    });
    expect(saved[1]!.name).toBe(DAILY_PDF);

    // A server that names no file: the report's name and the format's extension.
    name = null;
    await user.click(screen.getByTestId('daily-export-start'));
    await waitFor(() => expect(saved).toHaveLength(3));
    expect(saved[2]!.name).toBe('harian.pdf');
  });

  it('follows a new period and "all methods" without a reload', async () => {
    const { calls } = api({ 'GET /dashboard/daily/export': () => file(DAILY_NAME) });
    const user = userEvent.setup();
    window.history.replaceState(null, '', DECEMBER);
    renderWithApp(<DashboardPage />);
    const channel = screen.getByTestId('dashboard-channel');
    await waitFor(() => expect(within(channel).getByRole('option', { name: 'QRIS' })).toBeInTheDocument());
    await user.selectOptions(channel, '');
    await user.click(screen.getByRole('button', { name: 'Semua waktu' }));
    await user.selectOptions(screen.getByTestId('daily-export-format'), 'Excel (XLSX)');
    await user.click(screen.getByTestId('daily-export-start'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(sent(calls, '/dashboard/daily/export')[0]!)).toEqual({ format: 'xlsx', lang: 'id' });
  });

  it('shows the bytes so far, cancels from the keyboard with the focus back, and saves nothing', async () => {
    const slow = slowFile(new Uint8Array(1_258_291));
    api({ 'GET /dashboard/daily/export': () => ({ body: slow.body }) });
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    screen.getByTestId('daily-export-start').focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('daily-export-progress')).toHaveTextContent('Mengekspor… 1,2 MB');
    expect(screen.getByTestId('daily-export-format')).toBeDisabled();
    // The other report's export is not busy.
    expect(screen.getByTestId('category-export-start')).toBeEnabled();
    const cancel = screen.getByRole('button', { name: 'Batalkan ekspor laporan harian' });
    await waitFor(() => expect(cancel).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('daily-export-start')).toHaveFocus());
    expect(slow.state.cancelled).toBe(true);
    expect(screen.queryByTestId('daily-export-progress')).not.toBeInTheDocument();
    expect(saved).toEqual([]);
  });

  it('words the server’s refusal under the report and downloads nothing', async () => {
    window.history.replaceState(null, '', '/?period=custom&from=2015-01-01&to=2025-12-31');
    api({
      'GET /dashboard/daily/export': () => ({
        status: 400,
        message: 'validation failed',
        error: {
          code: 'validation_failed',
          details: [{ field: 'to', issue: 'at most 1830 days', rule: 'range', min: 1, limit: 1830 }],
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    await user.click(screen.getByTestId('daily-export-start'));
    const alert = await screen.findByTestId('daily-export-error');
    expect(alert).toHaveTextContent('Ekspor gagal; tidak ada file yang diunduh.');
    expect(alert).toHaveTextContent('Periode ekspor paling lama 1.830 hari.');
    expect(screen.queryByTestId('category-export-error')).not.toBeInTheDocument();
    expect(saved).toEqual([]);
    await user.click(within(alert).getByRole('button', { name: 'Tutup' }));
    expect(screen.queryByTestId('daily-export-error')).not.toBeInTheDocument();
  });

  it('says an Excel sheet is too small for the period in rows, not rupiah', async () => {
    api({
      'GET /dashboard/daily/export': () => ({
        status: 400,
        message: 'validation failed',
        error: {
          code: 'validation_failed',
          details: [{ field: 'format', issue: 'too many rows', rule: 'range', min: 0, limit: 1048575 }],
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    await user.click(screen.getByTestId('daily-export-start'));
    const alert = await screen.findByTestId('daily-export-error');
    expect(alert).toHaveTextContent('Satu lembar Excel paling banyak 1.048.575 baris');
    expect(alert).not.toHaveTextContent('Rp');
    await user.click(within(alert).getByRole('button', { name: 'Tutup' }));
    expect(screen.queryByTestId('daily-export-error')).not.toBeInTheDocument();
  });
});

describe('Beranda: the report by category’s export', () => {
  it('sends the period and the type shown (never the payment method), as CSV or XLSX only', async () => {
    window.history.replaceState(null, '', `${DECEMBER}&type=OUT`);
    const { calls } = api({ 'GET /dashboard/categories/export': () => file(CATEGORY_NAME) });
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    expect(screen.getByTestId('category-type')).toHaveValue('OUT');
    await waitFor(() => expect(sent(calls, '/dashboard/categories').some((q) => q.get('type') === 'OUT')).toBe(true));
    const formats = within(screen.getByTestId('category-export-format'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(formats).toEqual(['CSV (;)', 'CSV (,)', 'Excel (XLSX)']);

    await user.selectOptions(screen.getByTestId('category-export-format'), 'xlsx');
    await user.click(screen.getByRole('button', { name: 'Ekspor laporan per kategori' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(sent(calls, '/dashboard/categories/export')[0]!)).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
      type: 'OUT',
      format: 'xlsx',
      lang: 'id',
    });
    expect(saved[0]!.name).toBe(CATEGORY_NAME);

    // Both types: the chart and the export lose the type; the address too.
    await user.selectOptions(screen.getByTestId('category-type'), '');
    expect(new URLSearchParams(window.location.search).has('type')).toBe(false);
    await user.selectOptions(screen.getByTestId('category-export-format'), ',');
    await user.click(screen.getByTestId('category-export-start'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(Object.fromEntries(sent(calls, '/dashboard/categories/export')[1]!)).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
      format: 'csv',
      sep: ',',
      lang: 'id',
    });
    expect(sent(calls, '/dashboard/daily/export')).toEqual([]);
  });
});

describe('Beranda: printing the daily report', () => {
  it('prints on A4 by default: the paper on <html>, its @page rule, only the daily report', async () => {
    window.history.replaceState(null, '', DECEMBER);
    const print = stubPrint();
    api({}, days);
    const user = userEvent.setup();
    renderWithApp(<DashboardPage />);
    expect(screen.getByTestId('print-paper')).toHaveValue('a4');
    // Whatever the page had before, the print sets the paper itself.
    document.documentElement.setAttribute('data-print-paper', '80mm');
    document.getElementById(PAGE_STYLE_ID)?.remove();
    await user.click(screen.getByRole('button', { name: 'Cetak laporan harian' }));
    // What the page was like while the dialog was open.
    expect(print.seen).toEqual([{ paper: 'a4', target: 'daily', page: '@page { size: A4; margin: 12mm }' }]);
    window.dispatchEvent(new Event('afterprint'));
    expect(document.documentElement.hasAttribute('data-print-target')).toBe(false);

    // The printer's copy: the period, the method, the totals and one row per day, in rupiah.
    const copy = document.querySelector<HTMLElement>('.print-only[data-print=daily]')!;
    await waitFor(() => expect(copy.querySelectorAll('tbody tr')).toHaveLength(2));
    expect(copy).toHaveTextContent('Laporan harian');
    expect(copy).toHaveTextContent('Periode: 01/12/2025 – 31/12/2025');
    expect(copy).toHaveTextContent('Metode bayar: QRIS');
    const summary = [...copy.querySelectorAll('.print-summary > div')].map((d) =>
      [...d.children].map((c) => c.textContent),
    );
    expect(summary).toEqual([
      ['Saldo Kas', 'Rp 0'],
      ['Total Pemasukan', 'Rp 1.500.000'],
      ['Total Pengeluaran', 'Rp 370.000'],
      ['Jumlah Transaksi', '0'],
    ]);
    const rows = [...copy.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['01/12/2025', 'Rp 1.500.000', 'Rp 250.000', 'Rp 1.250.000'],
      ['02/12/2025', 'Rp 0', 'Rp 120.000', 'Rp 1.130.000'],
    ]);
    expect([...copy.querySelectorAll('tfoot td')].map((c) => c.textContent)).toEqual([
      'Rp 1.500.000',
      'Rp 370.000',
      'Rp 1.130.000',
    ]);
    // Nothing to press on paper.
    expect(copy.querySelector('button, select, input')).toBeNull();
  });

  it('prints on an 80 mm receipt once chosen, and remembers it', async () => {
    const print = stubPrint();
    api();
    const user = userEvent.setup();
    const { unmount } = renderWithApp(<DashboardPage />);
    await user.selectOptions(screen.getByTestId('print-paper'), 'Struk 80 mm');
    expect(localStorage.getItem(PRINT_PAPER_KEY)).toBe('80mm');
    await user.click(screen.getByTestId('daily-print'));
    expect(print.seen).toEqual([{ paper: '80mm', target: 'daily', page: '@page { size: 80mm auto; margin: 3mm }' }]);
    const styles = document.querySelectorAll(`style#${PAGE_STYLE_ID}`);
    expect(styles).toHaveLength(1);
    expect(styles[0]!.textContent).toBe('@page { size: 80mm auto; margin: 3mm }');

    // Another visit starts on the receipt; back to A4, the rule is replaced, not added.
    unmount();
    renderWithApp(<DashboardPage />);
    expect(screen.getByTestId('print-paper')).toHaveValue('80mm');
    await user.selectOptions(screen.getByTestId('print-paper'), 'a4');
    expect(document.documentElement.getAttribute('data-print-paper')).toBe('a4');
    expect(document.querySelectorAll(`style#${PAGE_STYLE_ID}`)).toHaveLength(1);
    expect(document.getElementById(PAGE_STYLE_ID)?.textContent).toBe('@page { size: A4; margin: 12mm }');
  });
});

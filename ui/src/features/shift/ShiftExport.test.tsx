import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { PAGE_STYLE_ID, PRINT_PAPER_KEY } from '@/lib/print';
import { fileReply as file, restoreDownloads, slowFile, stubDownloads, type Saved } from '@/test/downloads';
import { mockApi, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { ShiftBar } from './ShiftBar';
import { ShiftReportView } from './ShiftReportView';
import type { ShiftReport } from './useShift';

const ID = '5a1e7c2a-6f1d-4c3e-9a57-2d4f8e1b6c01';
const closed: ShiftReport = {
  id: ID,
  status: 'closed',
  opened_at: '2025-12-08T01:00:00.000Z',
  opened_by_name: 'Siti',
  opening_float: 200_000,
  suggested_float: null,
  opening_difference: 0,
  opening_note: null,
  cash_in: 50_000,
  cash_out: 15_000,
  entries: 2,
  expected: 235_000,
  closed_at: '2025-12-08T09:00:00.000Z',
  closed_by_name: 'Siti',
  counts: { note_100000: 2, note_20000: 1, note_10000: 1 },
  counted: 230_000,
  difference: -5_000,
  close_note: 'kurang kembalian',
  approved_by_name: null,
};
const LIST_NAME = 'shift_JKT-01_semua_semua.csv';
const PDF_NAME = 'shift_JKT-01_2025-12-08_5a1e7c2a.pdf';
const PDF = '%PDF-1.7\n';

let saved: Saved[];

beforeEach(() => {
  saved = stubDownloads();
  localStorage.removeItem(PRINT_PAPER_KEY);
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  restoreDownloads();
  localStorage.removeItem(PRINT_PAPER_KEY);
  document.getElementById(PAGE_STYLE_ID)?.remove();
  document.documentElement.removeAttribute('data-print-paper');
  document.documentElement.removeAttribute('data-print-target');
});

function api(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    'GET /shifts/current': () => ({ data: { shift: null, suggested_float: 230_000 } }),
    'GET /shifts': () => ({ data: { items: [closed], page: 1, limit: 20, total: 1, total_pages: 1 } }),
    ...extra,
  });
}

const sent = (calls: Call[], path: string) =>
  calls.filter((c) => c.path === path).map((c) => Object.fromEntries(c.query));

describe('the shift list’s export', () => {
  it('exports every shift (no period, no page) as CSV or XLSX in the app’s language', async () => {
    const { calls } = api({ 'GET /shifts/export': () => file(LIST_NAME, '\uFEFFDibuka;Oleh\r\n') });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('shift-history-open'));
    await screen.findByTestId('shift-row');
    const formats = within(screen.getByTestId('shift-export-format'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(formats).toEqual(['CSV (;)', 'CSV (,)', 'Excel (XLSX)']);

    await user.click(screen.getByRole('button', { name: 'Ekspor daftar shift' }));
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual([LIST_NAME]));
    expect(sent(calls, '/shifts/export')).toEqual([{ format: 'csv', sep: ';', lang: 'id' }]);
    expect(await screen.findByText('Ekspor selesai')).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId('shift-export-format'), 'xlsx');
    await user.click(screen.getByTestId('shift-export-start'));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(sent(calls, '/shifts/export')[1]).toEqual({ format: 'xlsx', lang: 'id' });
  });

  it('shows the bytes so far and cancels; a refusal is said and nothing is saved', async () => {
    const slow = slowFile(new Uint8Array(2048));
    let reply: 'slow' | 'busy' = 'slow';
    api({
      'GET /shifts/export': () =>
        reply === 'slow' ? { body: slow.body } : { status: 503, message: 'busy', error: { code: 'unavailable' } },
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('shift-history-open'));
    await user.click(await screen.findByTestId('shift-export-start'));
    expect(await screen.findByTestId('shift-export-progress')).toHaveTextContent('Mengekspor… 2 KB');
    await user.click(screen.getByTestId('shift-export-cancel'));
    await waitFor(() => expect(screen.queryByTestId('shift-export-progress')).not.toBeInTheDocument());
    expect(slow.state.cancelled).toBe(true);

    reply = 'busy';
    await user.click(screen.getByTestId('shift-export-start'));
    expect(await screen.findByTestId('shift-export-error')).toHaveTextContent('Ekspor gagal');
    expect(saved).toEqual([]);
  });
});

describe('a shift report’s PDF and print', () => {
  it('downloads the PDF of the shift opened from the list: format=pdf and the app’s language', async () => {
    const { calls } = api({ [`GET /shifts/${ID}/export`]: () => file(PDF_NAME, PDF) });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('shift-history-open'));
    await user.click(within(await screen.findByTestId('shift-row')).getByRole('button'));
    await user.click(await screen.findByRole('button', { name: 'Unduh laporan shift sebagai PDF' }));
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual([PDF_NAME]));
    expect(sent(calls, `/shifts/${ID}/export`)).toEqual([{ format: 'pdf', lang: 'id' }]);
    expect(await screen.findByText(`File ${PDF_NAME} (1 KB) diunduh.`)).toBeInTheDocument();
  });

  it('asks in English once the app is, and names the file itself when the server does not', async () => {
    const { calls } = api({ [`GET /shifts/${ID}/export`]: () => file(null, PDF) });
    const user = userEvent.setup();
    renderWithApp(
      <>
        <LanguageSwitch />
        <ShiftReportView report={closed} />
      </>,
    );
    await user.selectOptions(screen.getByTestId('language'), 'en');
    await user.click(screen.getByRole('button', { name: 'Download the shift report as a PDF' }));
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual(['shift_5a1e7c2a.pdf']));
    expect(sent(calls, `/shifts/${ID}/export`)).toEqual([{ format: 'pdf', lang: 'en' }]);
  });

  it('keeps the focus on PDF while the file comes, starts it once, and says a failure', async () => {
    const slow = slowFile(new TextEncoder().encode('%PDF'));
    let reply: 'slow' | 'gone' = 'slow';
    const { calls } = api({
      [`GET /shifts/${ID}/export`]: () =>
        reply === 'slow' ? { body: slow.body } : { status: 404, message: 'no shift', error: { code: 'not_found' } },
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftReportView report={closed} />);
    const pdf = screen.getByTestId('shift-pdf');
    pdf.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(pdf).toHaveAttribute('aria-disabled', 'true'));
    expect(pdf).toHaveTextContent('Mengunduh…');
    expect(pdf).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(sent(calls, `/shifts/${ID}/export`)).toHaveLength(1);
    slow.finish('-1.7\n');
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(pdf).not.toHaveAttribute('aria-disabled');

    reply = 'gone';
    await user.click(pdf);
    const alert = await screen.findByTestId('shift-pdf-error');
    expect(alert).toHaveTextContent('PDF gagal diunduh.');
    expect(saved).toHaveLength(1);
    await user.click(within(alert).getByRole('button', { name: 'Tutup' }));
    expect(screen.queryByTestId('shift-pdf-error')).not.toBeInTheDocument();
  });

  it('prints only the shift report, on the paper remembered', async () => {
    localStorage.setItem(PRINT_PAPER_KEY, '80mm');
    const seen: (string | null | undefined)[][] = [];
    const print = vi.spyOn(window, 'print').mockImplementation(() => {
      const html = document.documentElement;
      seen.push([
        html.getAttribute('data-print-paper'),
        html.getAttribute('data-print-target'),
        document.getElementById(PAGE_STYLE_ID)?.textContent,
      ]);
    });
    api();
    const user = userEvent.setup();
    renderWithApp(<ShiftReportView report={closed} />);
    expect(screen.getByTestId('shift-print-paper')).toHaveValue('80mm');
    await user.click(screen.getByRole('button', { name: 'Cetak laporan shift' }));
    expect(print).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([['80mm', 'shift', '@page { size: 80mm auto; margin: 3mm }']]);
    const copy = document.querySelector('.print-only[data-print=shift]');
    expect(copy).toHaveTextContent('Rp 230.000');
    expect(copy?.querySelector('button, select')).toBeNull();

    await user.selectOptions(screen.getByTestId('shift-print-paper'), 'a4');
    await user.click(screen.getByTestId('shift-print'));
    expect(seen[1]).toEqual(['a4', 'shift', '@page { size: A4; margin: 12mm }']);
    expect(localStorage.getItem(PRINT_PAPER_KEY)).toBe('a4');
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { readText, restoreDownloads, slowFile, stubDownloads, type Saved } from '@/test/downloads';
import { QRIS_ID, emptySummary, mockApi, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { HistoryPage } from './HistoryPage';

const empty = { items: [], page: 1, limit: 20, total: 0, total_pages: 0 };
const SITI = '3f0c2a9e-5b7d-4e1f-8a6c-9d2b4e6f8a10';
const FILE_NAME = 'riwayat_JKT-01_2025-12-01_2025-12-31.csv';
const CSV = '\uFEFFWaktu;Jenis;Kategori;Jumlah\r\n2025-12-02 09:15;Pengeluaran;Gaji;1500000\r\n';

let saved: Saved[];

beforeEach(() => {
  saved = stubDownloads();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  restoreDownloads();
});

const listRoutes = {
  'GET /transactions': () => ({ data: empty }),
  'GET /transactions/totals': () => ({ data: emptySummary }),
  'GET /categories': () => ({ data: [] }),
};

const exports = (calls: Call[]) => calls.filter((c) => c.path === '/transactions/export');

describe('Export of the history', () => {
  it('exports every page the filters match, with the separator and the language chosen, under the server’s name', async () => {
    window.history.replaceState(
      null,
      '',
      `/riwayat?period=custom&from=2025-12-01&to=2025-12-31&type=OUT&category=Gaji&q=beras&sync_state=pending&channel_id=${QRIS_ID}&recorded_by=${SITI}&page=3`,
    );
    let named = true;
    const { calls } = mockApi({
      ...listRoutes,
      'GET /transactions/export': () => ({
        body: CSV,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          ...(named ? { 'Content-Disposition': `attachment; filename="${FILE_NAME}"` } : {}),
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(
      <>
        <LanguageSwitch />
        <HistoryPage />
      </>,
    );
    await waitFor(() =>
      expect(calls.some((c) => c.path === '/transactions' && c.query.get('page') === '3')).toBe(true),
    );

    await user.click(screen.getByRole('button', { name: 'Ekspor' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(exports(calls)[0]!.query)).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
      type: 'OUT',
      category: 'Gaji',
      q: 'beras',
      sync_state: 'pending',
      channel_id: QRIS_ID,
      recorded_by: SITI,
      format: 'csv',
      sep: ';',
      lang: 'id',
    });
    expect(saved[0]!.name).toBe(FILE_NAME);
    // Byte for byte, with the BOM by which Excel knows UTF-8 (a reading as text drops it).
    expect(saved[0]!.blob.size).toBe(new TextEncoder().encode(CSV).length);
    expect(await readText(saved[0]!.blob)).toBe(CSV.replace('\uFEFF', ''));
    expect(await screen.findByText('Ekspor selesai')).toBeInTheDocument();
    expect(screen.getByText(`File ${FILE_NAME} (1 KB) diunduh.`)).toBeInTheDocument();

    // In English, comma-separated, and a server that names no file.
    named = false;
    await user.selectOptions(screen.getByTestId('language'), 'en');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Export format' }), 'CSV (,)');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    const second = exports(calls)[1]!.query;
    expect([second.get('sep'), second.get('lang'), second.get('type')]).toEqual([',', 'en', 'OUT']);
    expect(second.has('page') || second.has('limit')).toBe(false);
    expect(saved[1]!.name).toBe('riwayat.csv');
    // An Excel workbook: format xlsx, no separator.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Export format' }), 'Excel (XLSX)');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(saved).toHaveLength(3));
    const third = exports(calls)[2]!.query;
    expect([third.get('format'), third.has('sep'), third.get('type')]).toEqual(['xlsx', false, 'OUT']);
  });

  it('shows the bytes so far while the file comes, and saves it only once it is complete', async () => {
    const file = slowFile(new Uint8Array(1_258_291));
    mockApi({
      ...listRoutes,
      'GET /transactions/export': () => ({
        body: file.body,
        headers: { 'Content-Type': 'text/csv', 'Content-Disposition': `attachment; filename="${FILE_NAME}"` },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    await user.click(screen.getByRole('button', { name: 'Ekspor' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Mengekspor… 1,2 MB');
    expect(screen.getByRole('combobox', { name: 'Format ekspor' })).toBeDisabled();
    expect(URL.createObjectURL).not.toHaveBeenCalled();
    file.finish('x\r\n');
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual([FILE_NAME]));
    expect(saved[0]!.blob.size).toBe(1_258_294);
    expect(screen.queryByTestId('export-progress')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Ekspor' })).toBeEnabled();
  });

  it('cancels from the keyboard: the reading stops, nothing is saved, the focus comes back', async () => {
    const file = slowFile(new TextEncoder().encode('Waktu;Jenis\r\n'));
    mockApi({ ...listRoutes, 'GET /transactions/export': () => ({ body: file.body }) });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    screen.getByRole('button', { name: 'Ekspor' }).focus();
    await user.keyboard('{Enter}');
    const cancel = await screen.findByRole('button', { name: 'Batalkan ekspor' });
    await waitFor(() => expect(cancel).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Ekspor' })).toHaveFocus());
    expect(file.state.cancelled).toBe(true);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(saved).toEqual([]);
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('shows the server’s refusal in the user’s words and downloads nothing', async () => {
    window.history.replaceState(null, '', '/riwayat?period=custom&from=2020-01-01&to=2025-12-31');
    let reply: 'range' | 'busy' = 'range';
    mockApi({
      ...listRoutes,
      'GET /transactions/export': () =>
        reply === 'range'
          ? {
              status: 400,
              message: 'validation failed',
              error: {
                code: 'validation_failed',
                details: [
                  {
                    field: 'to',
                    issue: 'an export covers at most 1830 days; leave both dates out for all time',
                    rule: 'range',
                    min: 1,
                    limit: 1830,
                  },
                ],
              },
            }
          : { status: 503, message: 'busy', error: { code: 'unavailable' } },
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    await user.click(screen.getByRole('button', { name: 'Ekspor' }));
    const alert = await screen.findByTestId('export-error');
    expect(alert).toHaveTextContent('Ekspor gagal; tidak ada file yang diunduh.');
    expect(alert).toHaveTextContent(
      'Periode ekspor paling lama 1.830 hari. Pilih periode yang lebih pendek, atau Semua waktu.',
    );
    expect(alert).not.toHaveTextContent('1830 days');

    reply = 'busy';
    await user.click(screen.getByRole('button', { name: 'Ekspor' }));
    await waitFor(() => expect(screen.getByTestId('export-error')).toHaveTextContent('Server sedang sibuk'));
    expect(saved).toEqual([]);
    expect(URL.createObjectURL).not.toHaveBeenCalled();

    await user.click(within(screen.getByTestId('export-error')).getByRole('button', { name: 'Tutup' }));
    expect(screen.queryByTestId('export-error')).not.toBeInTheDocument();
  });

  it('says the export failed when the connection breaks half-way, and keeps no part of the file', async () => {
    const file = slowFile(new TextEncoder().encode('Waktu;Jenis\r\n'));
    mockApi({
      ...listRoutes,
      'GET /transactions/export': () => ({
        body: file.body,
        headers: { 'Content-Disposition': `attachment; filename="${FILE_NAME}"` },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<HistoryPage />);
    await user.click(screen.getByRole('button', { name: 'Ekspor' }));
    await screen.findByTestId('export-progress');
    file.fail();
    const alert = await screen.findByTestId('export-error');
    expect(alert).toHaveTextContent('Ekspor gagal; tidak ada file yang diunduh.');
    expect(alert).toHaveTextContent('Sambungan ke server kas terputus sebelum file selesai.');
    expect(saved).toEqual([]);
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });
});

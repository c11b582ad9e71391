import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Toaster } from '@/components/ui/toaster';
import { mockApi, type Call } from '@/test/mockApi';
import { onSessionEnded } from '../api/hq';
import { ConsoleI18nProvider } from '../i18n';
import { REPORT_FORMATS } from '../lib/exports';
import { catchDownloads, fileReply, releaseDownloads, slowFile, type Saved } from '../test/downloads';
import { ExportControl } from './ExportControl';

const PATH = '/reports/daily/export';
const NAME = 'harian_BDG01_2025-12-01_2025-12-31.csv';
const CSV = '\uFEFFTanggal;Masuk;Keluar\r\n2025-12-01;1000000;200000\r\n';

let saved: Saved[];
beforeEach(() => {
  saved = catchDownloads();
});
afterEach(releaseDownloads);

const exports = (calls: Call[]) => calls.filter((c) => c.path === PATH);

function renderControl(filters: Record<string, string | undefined> = { branch_id: 'b1', from: '2025-12-01' }) {
  return render(
    <ConsoleI18nProvider lang="id">
      <ExportControl
        testid="t-"
        label="Ekspor harian"
        hint="Unduh angka per hari"
        path={PATH}
        filters={filters}
        formats={REPORT_FORMATS}
        baseName="harian_BDG01"
        notFoundText="Cabang ini tidak ditemukan di kantor pusat."
      />
      <Toaster closeLabel="Tutup" />
    </ConsoleI18nProvider>,
  );
}

describe('an HQ export control', () => {
  it('asks for the chosen format in the console’s language, and saves the file under the server’s name', async () => {
    let named = true;
    const { calls } = mockApi({
      [`GET ${PATH}`]: () => (named ? fileReply(NAME, CSV, 'text/csv') : { body: '%PDF-1.7\n' }),
    });
    const user = userEvent.setup();
    renderControl({ branch_id: 'b1', from: '2025-12-01', to: undefined });
    const format = screen.getByTestId('t-format');
    expect([...(format as HTMLSelectElement).options].map((o) => o.text)).toEqual([
      'CSV (;)',
      'CSV (,)',
      'Excel (XLSX)',
      'PDF',
    ]);

    await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    // The empty filter is left out; never a page or a limit.
    expect(Object.fromEntries(exports(calls)[0]!.query)).toEqual({
      branch_id: 'b1',
      from: '2025-12-01',
      format: 'csv',
      sep: ';',
      lang: 'id',
    });
    // Same origin, the cookie goes by itself: no CSRF token on a read.
    expect(exports(calls)[0]!.headers.has('X-KH-CSRF')).toBe(false);
    expect(saved[0]!.name).toBe(NAME);
    expect(saved[0]!.blob.size).toBe(new TextEncoder().encode(CSV).length);
    expect(await screen.findByText('Ekspor selesai')).toBeInTheDocument();
    expect(screen.getByText(`File ${NAME} (1 KB) diunduh.`)).toBeInTheDocument();

    await user.selectOptions(format, 'CSV (,)');
    await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect([exports(calls)[1]!.query.get('format'), exports(calls)[1]!.query.get('sep')]).toEqual(['csv', ',']);

    // A PDF has no separator; a server that names no file gets the control's name for it.
    named = false;
    await user.selectOptions(format, 'PDF');
    await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
    await waitFor(() => expect(saved).toHaveLength(3));
    const pdf = exports(calls)[2]!.query;
    expect([pdf.get('format'), pdf.has('sep'), pdf.get('branch_id')]).toEqual(['pdf', false, 'b1']);
    expect(saved[2]!.name).toBe('harian_BDG01.pdf');
  });

  it('shows the bytes so far while the file comes, and saves it only once it is complete', async () => {
    const file = slowFile(new Uint8Array(1_258_291));
    mockApi({ [`GET ${PATH}`]: () => fileReply(NAME, file.body) });
    const user = userEvent.setup();
    renderControl();
    await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
    expect(await screen.findByTestId('t-progress')).toHaveTextContent('Mengekspor… 1,2 MB');
    expect(screen.getByTestId('t-format')).toBeDisabled();
    expect(screen.queryByTestId('t-start')).not.toBeInTheDocument();
    expect(URL.createObjectURL).not.toHaveBeenCalled();
    file.finish('x\r\n');
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual([NAME]));
    expect(saved[0]!.blob.size).toBe(1_258_294);
    expect(screen.queryByTestId('t-progress')).not.toBeInTheDocument();
    expect(screen.getByTestId('t-format')).toBeEnabled();
  });

  it('cancels from the keyboard: the reading stops, nothing is saved, the focus comes back', async () => {
    const file = slowFile(new TextEncoder().encode('Tanggal;Masuk\r\n'));
    mockApi({ [`GET ${PATH}`]: () => ({ body: file.body }) });
    const user = userEvent.setup();
    renderControl();
    screen.getByRole('button', { name: 'Ekspor harian' }).focus();
    await user.keyboard('{Enter}');
    const cancel = await screen.findByRole('button', { name: 'Batalkan: Ekspor harian' });
    await waitFor(() => expect(cancel).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Ekspor harian' })).toHaveFocus());
    expect(file.state.cancelled).toBe(true);
    expect(screen.queryByTestId('t-progress')).not.toBeInTheDocument();
    expect(screen.queryByTestId('t-error')).not.toBeInTheDocument();
    expect(saved).toEqual([]);
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('words each refusal of the server from its envelope, and saves nothing', async () => {
    let reply: unknown;
    mockApi({ [`GET ${PATH}`]: () => reply as never });
    const user = userEvent.setup();
    renderControl();
    const failure = async (r: unknown) => {
      reply = r;
      await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
      const alert = await screen.findByTestId('t-error');
      expect(alert).toHaveTextContent('Ekspor gagal; tidak ada file yang diunduh.');
      const text = alert.textContent;
      await user.click(within(alert).getByRole('button', { name: 'Tutup' }));
      expect(screen.queryByTestId('t-error')).not.toBeInTheDocument();
      return text;
    };
    const invalid = (field: string, rule: string, more: object = {}) => ({
      status: 400,
      error: { code: 'validation_failed', details: [{ field, issue: 'english words', rule, ...more }] },
    });

    // The field is named in the user's words, never in the server's English.
    const format = await failure(invalid('format', 'one_of'));
    expect(format).toContain('Isian tidak valid: Format file: Pilihan tidak dikenal');
    expect(format).not.toContain('english words');
    expect(await failure(invalid('branch_id', 'format'))).toContain('Cabang: Formatnya tidak dikenali');
    expect(await failure(invalid('to', 'range', { min: 1, limit: 1830 }))).toContain(
      'Periode ekspor paling lama 1.830 hari. Pilih periode yang lebih pendek, atau Semua waktu.',
    );
    // Too many rows for one Excel sheet: the limit in the user's numbers, never as rupiah.
    const tooMany = await failure(invalid('format', 'range', { min: 0, limit: 1048575 }));
    expect(tooMany).toContain('Satu lembar Excel paling banyak 1.048.575 baris');
    expect(tooMany).not.toContain('Rp');
    expect(await failure({ status: 404, error: { code: 'not_found' } })).toContain(
      'Cabang ini tidak ditemukan di kantor pusat.',
    );
    expect(await failure({ status: 503, error: { code: 'unavailable' } })).toContain(
      'Server sedang sibuk; coba lagi sebentar lagi',
    );
    expect(await failure({ status: 403, error: { code: 'forbidden' } })).toContain(
      'Peran Anda tidak boleh mengunduh file ini.',
    );
    expect(await failure('network')).toContain('Tidak dapat menghubungi server kantor pusat.');
    expect(saved).toEqual([]);
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('says the export failed when the connection breaks half-way, and keeps no part of the file', async () => {
    const file = slowFile(new TextEncoder().encode('Tanggal;Masuk\r\n'));
    mockApi({ [`GET ${PATH}`]: () => fileReply(NAME, file.body) });
    const user = userEvent.setup();
    renderControl();
    await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
    await screen.findByTestId('t-progress');
    file.fail();
    expect(await screen.findByTestId('t-error')).toHaveTextContent(
      'Sambungan ke server kantor pusat terputus sebelum file selesai. Coba ekspor lagi.',
    );
    expect(saved).toEqual([]);
  });

  it('ends the session on a 401, as every console call does', async () => {
    mockApi({ [`GET ${PATH}`]: () => ({ status: 401, error: { code: 'unauthorized' } }) });
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    const user = userEvent.setup();
    renderControl();
    await user.click(screen.getByRole('button', { name: 'Ekspor harian' }));
    await screen.findByTestId('t-error');
    expect(ended).toHaveBeenCalledTimes(1);
    stop();
  });
});

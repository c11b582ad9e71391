import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { branch, changes, hqSettings, renderConsole } from '../../test/renderConsole';

const branches = [
  branch('b1', 'BDG01', 'Bandung', {
    devices: [{ id: 'd1d1d1d1-0000', first_seen_at: '2025-01-02T00:00:00Z', last_seen_at: new Date().toISOString() }],
  }),
  branch('b2', 'SBY01', 'Surabaya', { disabled_at: '2025-02-01T00:00:00Z', last_seen_at: null }),
];

const withKey = (id: string, code: string, name: string, api_key: string) => ({
  id,
  code,
  name,
  created_at: '2025-03-01T00:00:00Z',
  disabled_at: null,
  last_seen_at: null,
  api_key,
});

describe('branches', () => {
  it('creates a branch and shows its key once, with a copy button and a warning', async () => {
    const { calls } = renderConsole('/cabang', {
      'GET /branches': () => ({ data: branches }),
      'POST /branches': () => ({ status: 201, data: withKey('b3', 'MLG01', 'Malang', 'kh_secret_key_123') }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cabang baru' }));
    await user.type(screen.getByLabelText('Kode'), 'MLG01');
    await user.type(screen.getByLabelText('Nama'), 'Malang');
    await user.click(screen.getByRole('button', { name: 'Cabang baru' }));

    const dialog = await screen.findByTestId('key-dialog');
    expect(within(dialog).getByTestId('api-key')).toHaveTextContent('kh_secret_key_123');
    expect(dialog).toHaveTextContent('hanya ditampilkan sekali');
    await user.click(within(dialog).getByRole('button', { name: 'Salin' }));
    // user-event stands in for the clipboard.
    expect(await navigator.clipboard.readText()).toBe('kh_secret_key_123');
    expect(within(dialog).getByRole('button', { name: 'Tersalin' })).toBeInTheDocument();
    expect(changes(calls).find((c) => c.path === '/branches')?.body).toEqual({ code: 'MLG01', name: 'Malang' });

    await user.click(within(dialog).getByRole('button', { name: 'Sudah saya simpan' }));
    await waitFor(() => expect(screen.queryByTestId('api-key')).not.toBeInTheDocument());
  });

  it('says a taken code next to the field (409)', async () => {
    renderConsole('/cabang', {
      'GET /branches': () => ({ data: branches }),
      'POST /branches': () => ({ status: 409, error: { code: 'conflict' } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cabang baru' }));
    await user.type(screen.getByLabelText('Kode'), 'BDG01');
    await user.type(screen.getByLabelText('Nama'), 'Bandung 2');
    await user.click(screen.getByRole('button', { name: 'Cabang baru' }));
    expect(await screen.findByTestId('branch-code-error')).toHaveTextContent('Kode ini sudah dipakai cabang lain');
  });

  it('asks before rotating a key, then shows the new key once', async () => {
    const { calls } = renderConsole('/cabang', {
      'GET /branches': () => ({ data: branches }),
      'POST /branches/b1/rotate-key': () => ({ data: withKey('b1', 'BDG01', 'Bandung', 'kh_new_key_456') }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Ganti kunci: BDG01' }));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('berhenti mengirim data sampai kunci baru dimasukkan');
    expect(changes(calls)).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Ya, ganti kunci' }));
    expect(await screen.findByTestId('api-key')).toHaveTextContent('kh_new_key_456');
    expect(changes(calls).map((c) => c.path)).toEqual(['/branches/b1/rotate-key']);
  });

  it('disables an active branch and enables a disabled one', async () => {
    const { calls } = renderConsole('/cabang', {
      'GET /branches': () => ({ data: branches }),
      'POST /branches/b1/disable': () => ({ data: branches[0] }),
      'POST /branches/b2/enable': () => ({ data: branches[1] }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Nonaktifkan: BDG01' }));
    await user.click(screen.getByRole('button', { name: 'Aktifkan: SBY01' }));
    await waitFor(() =>
      expect(changes(calls).map((c) => c.path)).toEqual(['/branches/b1/disable', '/branches/b2/enable']),
    );
  });

  it.each(['viewer', 'finance'] as const)('shows a %s the branches without any change button', async (role) => {
    renderConsole('/cabang', { 'GET /branches': () => ({ data: branches }) }, role);
    expect(await screen.findAllByTestId('branch-row')).toHaveLength(2);
    expect(screen.getByText('belum pernah')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cabang baru|Ganti kunci|Nonaktifkan|Aktifkan/ })).toBeNull();
    expect(screen.getByTestId('read-only')).toHaveTextContent('Hanya pemilik');
  });

  it("shows everyone the branches' cash rules HQ set, and where they are set", async () => {
    renderConsole(
      '/cabang',
      {
        'GET /branches': () => ({ data: branches }),
        'GET /settings': () => ({
          data: {
            ...hqSettings('Asia/Jakarta', 'WIB', 420),
            cash_difference_threshold: 25_000,
            blind_close: true,
            business_day_starts_at: '04:00',
          },
        }),
      },
      'viewer',
    );
    const card = await screen.findByTestId('cash-rules');
    expect(within(card).getByRole('heading', { name: 'Aturan kas cabang' })).toBeInTheDocument();
    expect(within(card).getByText('Selisih tutup kasir yang perlu persetujuan supervisor')).toBeInTheDocument();
    expect(within(card).getByTestId('rule-threshold')).toHaveTextContent('di atas Rp 25.000');
    expect(within(card).getByText('Tutup kasir tanpa melihat jumlah seharusnya')).toBeInTheDocument();
    expect(within(card).getByTestId('rule-blind')).toHaveTextContent('Ya');
    expect(within(card).getByText('Hari usaha')).toBeInTheDocument();
    expect(within(card).getByTestId('rule-day-start')).toHaveTextContent('mulai pukul 04:00');
    for (const name of ['KH_CASH_DIFFERENCE_THRESHOLD', 'KH_BLIND_CLOSE', 'KH_BUSINESS_DAY_STARTS_AT']) {
      expect(card).toHaveTextContent(name);
    }
    expect(card).toHaveTextContent('sinkronisasi berikutnya');
    expect(within(card).queryByRole('button')).toBeNull();
  });

  it('shows the rules a branch applies when an older HQ does not say them', async () => {
    renderConsole('/cabang', { 'GET /branches': () => ({ data: branches }) });
    const card = await screen.findByTestId('cash-rules');
    expect(within(card).getByTestId('rule-threshold')).toHaveTextContent('di atas Rp 10.000');
    expect(within(card).getByTestId('rule-blind')).toHaveTextContent('Tidak');
    expect(within(card).getByTestId('rule-day-start')).toHaveTextContent('mulai pukul 00:00');
  });
});

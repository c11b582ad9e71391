import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SystemStatus } from '@/api/types';
import { mockApi } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { SyncPage } from './SyncPage';

const page = { items: [], page: 1, limit: 10, total: 0, total_pages: 0 };
const status = (s: Partial<SystemStatus>): SystemStatus => ({
  status: 'unconfigured',
  unsynced_count: 0,
  rejected_count: 0,
  held_count: 0,
  sending: null,
  restoring: null,
  pull_rejected_count: 0,
  refused_shift_count: 0,
  last_sync_at: null,
  last_attempt_at: null,
  last_error: null,
  branch: null,
  cloud_url: null,
  ...s,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SyncPage', () => {
  it('says the PC is not activated when Sinkronkan sekarang is pressed before activation', async () => {
    const { calls } = mockApi({
      'GET /system/status': () => ({ data: status({ status: 'unconfigured' }) }),
      'GET /transactions': () => ({ data: page }),
      'POST /system/sync': () => ({ status: 202, data: status({ status: 'unconfigured' }) }),
    });
    const user = userEvent.setup();
    renderWithApp(<SyncPage />);
    await user.click(await screen.findByTestId('sync-now'));
    expect(await screen.findByText(/belum diaktifkan: isi alamat HQ/)).toBeInTheDocument();
    expect(screen.queryByText('Sinkronisasi dimulai')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/system/sync')).toBe(true);
  });

  it('says the state in plain words and sends rejected entries again', async () => {
    const { calls } = mockApi({
      'GET /system/status': () => ({
        data: status({
          status: 'online',
          unsynced_count: 1,
          rejected_count: 2,
          last_sync_at: '2025-12-08T03:30:00.000Z',
          last_error: 'HQ refused 2 rows',
          branch: { id: 'b', code: 'JKT01', name: 'Cabang Jakarta' },
          cloud_url: 'https://hq.example.com',
        }),
      }),
      'GET /transactions': () => ({ data: page }),
      'POST /system/sync/retry-rejected': () => ({ status: 202, data: { requeued: 2 } }),
    });
    const user = userEvent.setup();
    renderWithApp(<SyncPage />);
    expect(await screen.findByText('Terhubung ke pusat')).toBeInTheDocument();
    expect(screen.getByTestId('branch')).toHaveTextContent('JKT01 · Cabang Jakarta');
    expect(screen.getByTestId('last-error')).toHaveTextContent('HQ refused 2 rows');
    expect(screen.getByTestId('last-sync')).toHaveTextContent('10.30'); // Jakarta time, id-ID
    await user.click(screen.getByTestId('retry-rejected'));
    expect(await screen.findByText('2 transaksi dikembalikan ke antrean')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/system/sync/retry-rejected')).toBe(true);
  });

  it('shows field errors and the 503 message of a failed activation', async () => {
    let attempt = 0;
    mockApi({
      'GET /system/status': () => ({ data: status({}) }),
      'GET /transactions': () => ({ data: page }),
      'POST /system/activate': () => {
        attempt += 1;
        return attempt === 1
          ? {
              status: 400,
              message: 'Please fix the input',
              error: {
                code: 'validation_failed',
                details: [{ field: 'cloud_url', rule: 'format', issue: 'must start with http:// or https://' }],
              },
            }
          : { status: 503, message: 'HQ at https://hq.example.com cannot be reached', error: { code: 'unavailable' } };
      },
    });
    const user = userEvent.setup();
    renderWithApp(<SyncPage />);
    await user.type(await screen.findByLabelText('Alamat kantor pusat'), 'hq.example.com');
    await user.type(screen.getByLabelText('Kunci cabang'), 'kh_abc');
    await user.click(screen.getByTestId('activate'));
    // In the cashier's language, from the rule; never the server's English.
    expect(await screen.findByTestId('cloud-url-error')).toHaveTextContent('diawali http:// atau https://');
    expect(screen.getByTestId('cloud-url-error')).not.toHaveTextContent('must start');
    await user.clear(screen.getByLabelText('Alamat kantor pusat'));
    await user.type(screen.getByLabelText('Alamat kantor pusat'), 'https://hq.example.com');
    await user.click(screen.getByTestId('activate'));
    // An address that does not answer is named as such, not as a busy server.
    await waitFor(() =>
      expect(screen.getByTestId('activation-error')).toHaveTextContent(
        'Alamat kantor pusat https://hq.example.com tidak dapat dihubungi',
      ),
    );
    expect(screen.getByTestId('activation-error')).not.toHaveTextContent('sibuk');
    expect(screen.getByTestId('activation-error')).not.toHaveTextContent('cannot be reached');
  });

  it('shows how far a long send has come and what waits for another branch', async () => {
    mockApi({
      'GET /system/status': () => ({
        data: status({
          status: 'online',
          unsynced_count: 38000,
          held_count: 3,
          sending: { sent: 12000, total: 50000 },
          branch: { id: 'b', code: 'SBY02', name: 'Cabang Surabaya' },
          cloud_url: 'https://hq.example.com',
        }),
      }),
      'GET /transactions': () => ({ data: page }),
    });
    renderWithApp(<SyncPage />);
    const progress = await screen.findByTestId('sync-progress');
    expect(progress).toHaveTextContent('Mengirim 12.000 dari 50.000');
    expect(progress.querySelector('[role="progressbar"]')).toHaveAttribute('aria-valuenow', '12000');
    expect(screen.getByTestId('held-count')).toHaveTextContent('3 transaksi milik cabang sebelumnya');
  });

  it('shows a restore from HQ with its progress instead of saying online', async () => {
    mockApi({
      'GET /system/status': () => ({
        data: status({
          status: 'restoring',
          restoring: { restored: 25000, total: 100000 },
          branch: { id: 'b', code: 'SBY02', name: 'Cabang Surabaya' },
          cloud_url: 'https://hq.example.com',
        }),
      }),
      'GET /transactions': () => ({ data: page }),
    });
    renderWithApp(<SyncPage />);
    const progress = await screen.findByTestId('restore-progress');
    expect(progress).toHaveTextContent('25.000 dari 100.000 transaksi dipulihkan');
    expect(progress.querySelector('[role="progressbar"]')).toHaveAttribute('aria-valuenow', '25000');
    expect(progress.querySelector('[role="progressbar"]')).toHaveAttribute('aria-valuemax', '100000');
    expect(screen.getByTestId('sync-status')).toHaveTextContent('Memulihkan dari pusat');
    expect(screen.getAllByTestId('sync-badge')[0]).toHaveTextContent('Memulihkan');
    expect(screen.queryByText('Terhubung ke pusat')).not.toBeInTheDocument();
    expect(screen.queryByTestId('pull-rejected-count')).not.toBeInTheDocument();
    expect(screen.queryByTestId('refused-shift-count')).not.toBeInTheDocument();
  });

  it('says how many rows from HQ were kept apart, in the chosen language', async () => {
    mockApi({
      'GET /system/status': () => ({
        data: status({
          status: 'online',
          pull_rejected_count: 1200,
          branch: { id: 'b', code: 'SBY02', name: 'Cabang Surabaya' },
          cloud_url: 'https://hq.example.com',
        }),
      }),
      'GET /transactions': () => ({ data: page }),
    });
    renderWithApp(<SyncPage />);
    expect(await screen.findByTestId('pull-rejected-count')).toHaveTextContent(
      '1.200 transaksi dari pusat tidak bisa diterima komputer ini',
    );
  });

  it('says how many shift reports HQ refused', async () => {
    mockApi({
      'GET /system/status': () => ({
        data: status({
          status: 'online',
          refused_shift_count: 2,
          branch: { id: 'b', code: 'SBY02', name: 'Cabang Surabaya' },
          cloud_url: 'https://hq.example.com',
        }),
      }),
      'GET /transactions': () => ({ data: page }),
    });
    renderWithApp(<SyncPage />);
    expect(await screen.findByTestId('refused-shift-count')).toHaveTextContent(
      '2 laporan shift (buka atau tutup kasir) ditolak kantor pusat',
    );
    expect(screen.queryByTestId('pull-rejected-count')).not.toBeInTheDocument();
  });

  it('asks before moving a PC with unsent entries to another branch, then sends the confirmation', async () => {
    const bodies: unknown[] = [];
    mockApi({
      'GET /system/status': () => ({
        data: status({
          status: 'offline',
          unsynced_count: 4,
          rejected_count: 1,
          branch: { id: 'b', code: 'JKT01', name: 'Cabang Jakarta' },
          cloud_url: 'https://hq.example.com',
        }),
      }),
      'GET /transactions': () => ({ data: page }),
      'POST /system/activate': ({ body }) => {
        bodies.push(body);
        return (body as { confirm_branch_change?: boolean }).confirm_branch_change
          ? { data: status({ status: 'online', branch: { id: 'c', code: 'SBY02', name: 'Cabang Surabaya' } }) }
          : {
              status: 409,
              message: 'This PC holds 5 entries of branch JKT01 that HQ has not received.',
              error: {
                code: 'branch_change_unconfirmed',
                details: [{ field: 'confirm_branch_change', issue: 'must be true to move this PC' }],
              },
            };
      },
    });
    const user = userEvent.setup();
    renderWithApp(<SyncPage />);
    await user.type(await screen.findByLabelText('Kunci cabang'), 'kh_sby');
    await user.click(screen.getByTestId('activate'));
    const ask = await screen.findByTestId('branch-change');
    expect(ask).toHaveTextContent('5 transaksi cabang JKT01');
    expect(screen.queryByTestId('activation-error')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('confirm-branch-change'));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[0]).toMatchObject({ api_key: 'kh_sby', confirm_branch_change: false });
    expect(bodies[1]).toMatchObject({ api_key: 'kh_sby', confirm_branch_change: true });
  });
});

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
                details: [{ field: 'cloud_url', issue: 'must start with http:// or https://' }],
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
    expect(await screen.findByTestId('cloud-url-error')).toHaveTextContent('must start with http:// or https://');
    await user.clear(screen.getByLabelText('Alamat kantor pusat'));
    await user.type(screen.getByLabelText('Alamat kantor pusat'), 'https://hq.example.com');
    await user.click(screen.getByTestId('activate'));
    await waitFor(() => expect(screen.getByTestId('activation-error')).toHaveTextContent('cannot be reached'));
  });
});

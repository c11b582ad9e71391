import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/app/App';
import { emptySummary, mockApi } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { clearSession } from '@/lib/session';

const siti = { id: '11111111-1111-4111-8111-111111111111', name: 'Siti', role: 'cashier' };
const budi = { id: '22222222-2222-4222-8222-222222222222', name: 'Budi', role: 'supervisor' };
const roster = { required: true, idle_lock_minutes: 10, staff: [budi, siti] };
const status = {
  status: 'online',
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
};

function screens(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    'GET /staff': () => ({ data: roster }),
    'GET /system/status': () => ({ data: status }),
    'GET /dashboard/summary': () => ({ data: emptySummary }),
    'GET /dashboard/daily': () => ({ data: [] }),
    'GET /dashboard/categories': () => ({ data: [] }),
    'GET /dashboard/channels': () => ({ data: [] }),
    ...extra,
  });
}

afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
});

describe('lock screen', () => {
  it('opens for a name and its PIN, and Alt+L locks again and ends the session', async () => {
    const { calls } = screens({
      'POST /session': ({ body }) =>
        (body as { pin: string }).pin === '402913'
          ? { status: 201, data: { token: 'a'.repeat(64), staff: siti, idle_lock_minutes: 10 } }
          : { status: 401, error: { code: 'unauthorized' } },
      'DELETE /session': () => ({ data: null }),
    });
    renderWithApp(<App />);
    expect(await screen.findByText('Komputer terkunci')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Beranda' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Siti/ }));
    const pin = screen.getByLabelText('PIN');
    expect(pin).toHaveFocus();
    // A wrong PIN: said in Indonesian, the field empties for another try.
    await userEvent.type(pin, '111111');
    expect(await screen.findByRole('alert')).toHaveTextContent('PIN salah');
    expect(pin).toHaveValue('');
    // The keypad types too; six digits open the app.
    for (const d of '40291') await userEvent.click(screen.getByRole('button', { name: d }));
    await userEvent.type(pin, '3');
    expect(await screen.findByRole('heading', { name: 'Beranda' })).toBeInTheDocument();
    expect(screen.getByTestId('signed-in')).toHaveTextContent('Siti');
    const signIn = calls.filter((c) => c.method === 'POST' && c.path === '/session');
    expect(signIn.map((c) => (c.body as { staff_id: string }).staff_id)).toEqual([siti.id, siti.id]);

    // Alt+L locks again and ends the session at kh-local.
    fireEvent.keyDown(window, { key: 'l', code: 'KeyL', altKey: true });
    expect(await screen.findByText('Komputer terkunci')).toBeInTheDocument();
    const ended = calls.find((c) => c.method === 'DELETE' && c.path === '/session');
    expect(ended?.headers.get('X-KH-Session')).toBe('a'.repeat(64));
  });

  it('says for how long a name is locked after too many wrong PINs', async () => {
    screens({
      'POST /session': () => ({ status: 429, error: { code: 'rate_limited' }, headers: { 'Retry-After': '240' } }),
    });
    renderWithApp(<App />);
    await userEvent.click(await screen.findByRole('button', { name: /Budi/ }));
    await userEvent.type(screen.getByLabelText('PIN'), '583920');
    expect(await screen.findByRole('alert')).toHaveTextContent('dikunci. Coba lagi dalam 4 menit');
  });

  it('locks when kh-local says the session ended (idle, or the member was deactivated)', async () => {
    const { calls } = screens({
      'POST /session': () => ({ status: 201, data: { token: 'b'.repeat(64), staff: budi, idle_lock_minutes: 10 } }),
      'GET /session': () => ({ status: 401, error: { code: 'unauthorized' } }),
      'POST /transactions': () => ({ status: 401, error: { code: 'unauthorized' } }),
      'GET /categories': () => ({ data: [] }),
      'GET /transactions': () => ({ data: { items: [], page: 1, limit: 20, total: 0, total_pages: 0 } }),
    });
    renderWithApp(<App />);
    await userEvent.click(await screen.findByRole('button', { name: /Budi/ }));
    await userEvent.type(screen.getByLabelText('PIN'), '583920');
    await screen.findByRole('heading', { name: 'Beranda' });
    fireEvent.keyDown(window, { key: '2', code: 'Digit2', altKey: true });
    await screen.findByRole('heading', { name: 'Catat Transaksi' });
    await userEvent.type(screen.getByLabelText(/Jumlah/), '15000');
    await userEvent.type(screen.getByRole('combobox', { name: /Kategori/ }), 'Parkir');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByText('Komputer terkunci')).toBeInTheDocument());
    const entry = calls.find((c) => c.method === 'POST' && c.path === '/transactions');
    expect(entry?.headers.get('X-KH-Session')).toBe('b'.repeat(64));
  });

  it('says so on a PC whose branch has no staff yet, and does not lock', async () => {
    screens({ 'GET /staff': () => ({ data: { required: false, idle_lock_minutes: 10, staff: [] } }) });
    renderWithApp(<App />);
    expect(await screen.findByTestId('no-staff')).toHaveTextContent('belum punya staf');
    expect(screen.getByRole('heading', { name: 'Beranda' })).toBeInTheDocument();
  });
});

import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptySummary, mockApi } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { App } from './App';

const page = { items: [], page: 1, limit: 20, total: 0, total_pages: 0 };

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('App', () => {
  it('shows a banner, not a blank page, when the server does not answer', async () => {
    mockApi({
      'GET /system/status': () => 'network',
      'GET /dashboard/summary': () => 'network',
      'GET /dashboard/daily': () => 'network',
      'GET /dashboard/categories': () => 'network',
    });
    renderWithApp(<App />);
    expect(await screen.findByTestId('api-down')).toHaveTextContent('Server kas tidak menjawab');
    // Words a cashier knows: the cash book on this computer, not the program's name.
    expect(screen.getByTestId('api-down')).toHaveTextContent('buku kas di komputer ini');
    expect(screen.getByTestId('api-down')).not.toHaveTextContent('kh-local');
    expect(screen.getByRole('heading', { name: 'Beranda' })).toBeInTheDocument();
  });

  it('switches screens with Alt+1..4', async () => {
    mockApi({
      'GET /system/status': () => ({
        data: {
          status: 'unconfigured',
          unsynced_count: 2,
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
        },
      }),
      'GET /dashboard/summary': () => ({ data: emptySummary }),
      'GET /dashboard/daily': () => ({ data: [] }),
      'GET /dashboard/categories': () => ({ data: [] }),
      'GET /categories': () => ({ data: [] }),
      'GET /transactions': () => ({ data: page }),
    });
    renderWithApp(<App />);
    await screen.findByRole('heading', { name: 'Beranda' });
    fireEvent.keyDown(window, { key: '2', code: 'Digit2', altKey: true });
    expect(await screen.findByRole('heading', { name: 'Catat Transaksi' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/catat');
    fireEvent.keyDown(window, { key: '3', code: 'Digit3', altKey: true });
    expect(await screen.findByRole('heading', { name: 'Riwayat Transaksi' })).toBeInTheDocument();
    fireEvent.keyDown(window, { key: '4', code: 'Digit4', altKey: true });
    expect(await screen.findByRole('heading', { name: 'Sinkronisasi' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('unsynced-count')).toHaveTextContent('2'));
    expect(screen.getByTestId('sync-status')).toHaveTextContent('Belum diaktifkan');
  });
});

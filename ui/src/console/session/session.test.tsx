import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CSRF, changes, renderConsole, session } from '../test/renderConsole';

const emptySummary = {
  data: {
    branches: [],
    total: { total_in: 0, total_out: 0, balance: 0, transaction_count: 0, voided_count: 0, voided_total: 0 },
  },
};

async function signIn(email = 'pemilik@haramain.id', password = 'rahasia-panjang') {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Kata sandi'), password);
  await user.click(screen.getByRole('button', { name: 'Masuk' }));
  return user;
}

describe('signing in', () => {
  it('signs in with email and password and shows who is signed in', async () => {
    const { calls } = renderConsole(
      '/',
      {
        'POST /auth/login': () => ({ data: session('finance', 'keu@haramain.id') }),
        'GET /reports/summary': () => emptySummary,
      },
      null,
    );
    await signIn('keu@haramain.id');
    expect(await screen.findByTestId('user')).toHaveTextContent('keu@haramain.id');
    expect(screen.getByTestId('role')).toHaveTextContent('Keuangan');
    expect(screen.getByRole('heading', { name: 'Ringkasan' })).toBeInTheDocument();
    const login = calls.find((c) => c.path === '/auth/login');
    expect(login?.body).toEqual({ email: 'keu@haramain.id', password: 'rahasia-panjang' });
  });

  it('says a wrong email or password in words and stays on the form', async () => {
    renderConsole(
      '/',
      { 'POST /auth/login': () => ({ status: 401, error: { code: 'unauthorized' }, message: 'bad credentials' }) },
      null,
    );
    await signIn();
    expect(await screen.findByTestId('signin-error')).toHaveTextContent('Email atau kata sandi salah.');
    expect(screen.getByLabelText('Kata sandi')).toBeInTheDocument();
  });

  it('says how long to wait after too many attempts (429 with Retry-After)', async () => {
    renderConsole(
      '/',
      {
        'POST /auth/login': () => ({ status: 429, error: { code: 'rate_limited' }, headers: { 'Retry-After': '120' } }),
      },
      null,
    );
    await signIn();
    expect(await screen.findByTestId('signin-error')).toHaveTextContent(
      'Terlalu banyak percobaan masuk. Coba lagi dalam 2 menit.',
    );
  });

  it('returns to the sign-in screen with a message when a call answers 401 mid-session', async () => {
    renderConsole('/', { 'GET /reports/summary': () => ({ status: 401, error: { code: 'unauthorized' } }) });
    expect(await screen.findByTestId('session-ended')).toHaveTextContent('Sesi Anda berakhir');
    expect(screen.getByRole('button', { name: 'Masuk' })).toBeInTheDocument();
    expect(screen.queryByTestId('user')).not.toBeInTheDocument();
  });

  it('signs out and shows the sign-in screen', async () => {
    const { calls } = renderConsole('/', { 'GET /reports/summary': () => emptySummary });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Keluar' }));
    expect(await screen.findByRole('button', { name: 'Masuk' })).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/auth/logout')).toBe(true);
  });
});

describe('CSRF', () => {
  it('sends the session token on every change and never on a read', async () => {
    const { calls } = renderConsole('/daftar', {
      'POST /lists/categories': () => ({ status: 201, data: {} }),
      'PATCH /lists/categories/c-gaji': () => ({ data: {} }),
      'PUT /lists/settings': () => ({ data: {} }),
      'POST /lists/channels': () => ({ status: 201, data: {} }),
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Tambah kategori: Nama'), 'Listrik');
    await user.click(screen.getByRole('button', { name: 'Tambah kategori' }));
    await user.click(screen.getByRole('button', { name: 'Nonaktifkan: Gaji' }));
    await user.click(screen.getByRole('switch'));
    await user.type(screen.getByLabelText('Tambah metode bayar: Nama'), 'GoPay');
    await user.click(screen.getByRole('button', { name: 'Tambah metode bayar' }));
    await user.click(screen.getByRole('button', { name: 'Keluar' }));
    await screen.findByRole('button', { name: 'Masuk' });

    const sent = changes(calls);
    expect(sent.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /lists/categories',
      'PATCH /lists/categories/c-gaji',
      'PUT /lists/settings',
      'POST /lists/channels',
      'POST /auth/logout',
    ]);
    for (const c of sent) expect(c.headers.get('X-KH-CSRF')).toBe(CSRF);
    for (const c of calls.filter((x) => x.method === 'GET')) expect(c.headers.get('X-KH-CSRF')).toBeNull();
  });

  it('says a 403 on a change is the role not allowing it', async () => {
    renderConsole('/daftar', { 'PUT /lists/settings': () => ({ status: 403, error: { code: 'forbidden' } }) });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('switch'));
    const toast = await screen.findByTestId('toast');
    expect(within(toast).getByText('Peran Anda tidak boleh melakukan perubahan ini')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('user')).toBeInTheDocument());
  });
});

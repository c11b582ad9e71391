import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSRF, changes, renderConsole } from '../../test/renderConsole';

const users = [
  // The signed-in owner (renderConsole's session is user u1).
  { id: 'u1', email: 'pemilik@haramain.id', role: 'owner', created_at: '2025-01-01T01:00:00Z', disabled_at: null },
  { id: 'u2', email: 'keu@haramain.id', role: 'finance', created_at: '2025-02-03T04:05:00Z', disabled_at: null },
  {
    id: 'u3',
    email: 'lama@haramain.id',
    role: 'viewer',
    created_at: '2025-03-01T00:00:00Z',
    disabled_at: '2025-04-01T02:00:00Z',
  },
];

const created = {
  id: 'u4',
  email: 'baru@haramain.id',
  role: 'finance',
  created_at: '2025-05-01T00:00:00Z',
  disabled_at: null,
};

afterEach(() => vi.restoreAllMocks());

describe('users (owners)', () => {
  it('lists the users with their role in words, creation time and state; no disabling oneself', async () => {
    renderConsole('/pengguna', { 'GET /users': () => ({ data: users }) });
    const rows = await screen.findAllByTestId('user-row');
    expect(screen.getByRole('link', { name: 'Pengguna' })).toHaveAttribute('aria-current', 'page');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('keu@haramain.id');
    expect(rows[1]).toHaveTextContent('Keuangan');
    expect(rows[1]).toHaveTextContent('03/02/2025 11.05 WIB');
    expect(rows[1]).toHaveTextContent('Aktif');
    expect(rows[2]).toHaveTextContent('Peninjau');
    expect(rows[2]).toHaveTextContent('Nonaktif sejak 01/04/2025 09.00 WIB');
    expect(within(rows[0]!).getByText('Anda')).toBeInTheDocument();
    expect(within(rows[0]!).queryByRole('button', { name: /Nonaktifkan/ })).toBeNull();
    expect(within(rows[0]!).getByRole('button', { name: 'Atur ulang kata sandi: pemilik@haramain.id' })).toBeEnabled();
    expect(within(rows[1]!).getByRole('button', { name: 'Nonaktifkan: keu@haramain.id' })).toBeInTheDocument();
    expect(within(rows[2]!).getByRole('button', { name: 'Aktifkan: lama@haramain.id' })).toBeInTheDocument();
  });

  it('adds a user with a generated password: the exact body with the CSRF header, the password shown once', async () => {
    const log = [vi.spyOn(console, 'log'), vi.spyOn(console, 'info'), vi.spyOn(console, 'warn')];
    const { calls } = renderConsole('/pengguna', {
      'GET /users': () => ({ data: users }),
      'POST /users': () => ({ status: 201, data: created }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Pengguna baru' }));
    await user.type(screen.getByLabelText('Email'), ' baru@haramain.id ');
    expect(screen.getByLabelText('Peran')).toHaveValue('viewer');
    await user.selectOptions(screen.getByLabelText('Peran'), 'finance');
    await user.click(screen.getByRole('button', { name: 'Buat acak' }));
    const field = screen.getByLabelText('Kata sandi') as HTMLInputElement;
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveAttribute('autocomplete', 'new-password');
    const password = field.value;
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    await user.click(screen.getByRole('button', { name: 'Tambah pengguna' }));

    const dialog = await screen.findByTestId('password-dialog');
    const post = changes(calls).find((c) => c.path === '/users')!;
    expect(post.body).toEqual({ email: 'baru@haramain.id', role: 'finance', password });
    expect(post.headers.get('X-KH-CSRF')).toBe(CSRF);
    expect(within(dialog).getByTestId('password-once')).toHaveTextContent(password);
    expect(dialog).toHaveTextContent('baru@haramain.id');
    expect(dialog).toHaveTextContent('hanya ditampilkan sekali');
    await user.click(within(dialog).getByRole('button', { name: 'Salin' }));
    expect(await navigator.clipboard.readText()).toBe(password);

    await user.click(within(dialog).getByRole('button', { name: 'Sudah saya catat' }));
    await waitFor(() => expect(screen.queryByTestId('password-dialog')).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent(password);
    // Opened again, the form starts empty: the password is gone for good.
    await user.click(screen.getByRole('button', { name: 'Pengguna baru' }));
    expect(screen.getByLabelText('Kata sandi')).toHaveValue('');
    for (const spy of log) for (const args of spy.mock.calls) expect(JSON.stringify(args)).not.toContain(password);
  });

  it('says a taken email under the email field (409)', async () => {
    renderConsole('/pengguna', {
      'GET /users': () => ({ data: users }),
      'POST /users': () => ({ status: 409, error: { code: 'conflict' } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Pengguna baru' }));
    await user.type(screen.getByLabelText('Email'), 'keu@haramain.id');
    await user.type(screen.getByLabelText('Kata sandi'), 'kata-sandi-panjang');
    await user.click(screen.getByRole('button', { name: 'Tambah pengguna' }));
    expect(await screen.findByTestId('user-email-error')).toHaveTextContent('Email ini sudah dipakai pengguna lain');
    expect(screen.queryByTestId('password-dialog')).toBeNull();
  });

  it("puts HQ's field problems (400) under their fields in words, and checks the length before asking", async () => {
    const { calls } = renderConsole('/pengguna', {
      'GET /users': () => ({ data: users }),
      'POST /users': () => ({
        status: 400,
        error: {
          code: 'validation_failed',
          details: [
            { field: 'email', issue: 'not an email address', rule: 'format' },
            { field: 'role', issue: 'unknown role', rule: 'one_of' },
            { field: 'password', issue: 'must be at least 10 characters', rule: 'range', min: 10, limit: 128 },
          ],
        },
      }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Pengguna baru' }));
    await user.type(screen.getByLabelText('Email'), 'bukan-email');
    await user.type(screen.getByLabelText('Kata sandi'), 'pendek');
    await user.click(screen.getByRole('button', { name: 'Tambah pengguna' }));
    expect(screen.getByTestId('user-password-error')).toHaveTextContent('Kata sandi harus 10 sampai 128 karakter');
    expect(changes(calls)).toHaveLength(0);

    await user.type(screen.getByLabelText('Kata sandi'), '-sekarang-cukup');
    await user.click(screen.getByRole('button', { name: 'Tambah pengguna' }));
    expect(await screen.findByTestId('user-email-error')).toHaveTextContent('Formatnya tidak dikenali');
    expect(screen.getByTestId('user-role-error')).toHaveTextContent('Pilihan tidak dikenal');
    // HQ counts characters as this form does; its length rule reads as a length, not as rupiah.
    expect(screen.getByTestId('user-password-error')).toHaveTextContent('Kata sandi harus 10 sampai 128 karakter');
  });

  it('asks before disabling (sessions end at once); enables without asking', async () => {
    const { calls } = renderConsole('/pengguna', {
      'GET /users': () => ({ data: users }),
      'POST /users/u2/disable': () => ({ data: { ...users[1], disabled_at: '2025-06-01T00:00:00Z' } }),
      'POST /users/u3/enable': () => ({ data: { ...users[2], disabled_at: null } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Nonaktifkan: keu@haramain.id' }));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('keu@haramain.id tidak dapat masuk lagi');
    expect(confirm).toHaveTextContent('semua sesinya langsung berakhir');
    expect(changes(calls)).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Batal' }));
    expect(changes(calls)).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Nonaktifkan: keu@haramain.id' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Ya, nonaktifkan' }));
    expect(await screen.findByText('keu@haramain.id dinonaktifkan')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Aktifkan: lama@haramain.id' }));
    await waitFor(() =>
      expect(changes(calls).map((c) => [c.path, c.headers.get('X-KH-CSRF')])).toEqual([
        ['/users/u2/disable', CSRF],
        ['/users/u3/enable', CSRF],
      ]),
    );
  });

  it('resets a password: a typed one is only confirmed, a generated one is shown once', async () => {
    const { calls } = renderConsole('/pengguna', {
      'GET /users': () => ({ data: users }),
      'POST /users/u2/reset-password': () => ({ data: users[1] }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Atur ulang kata sandi: keu@haramain.id' }));
    expect(screen.getByRole('dialog')).toHaveTextContent('Semua sesinya langsung berakhir');
    await user.type(screen.getByLabelText('Kata sandi'), 'sandi-baru-yang-panjang');
    await user.click(screen.getByRole('button', { name: 'Simpan kata sandi baru' }));
    expect(await screen.findByText('Kata sandi keu@haramain.id diganti')).toBeInTheDocument();
    expect(screen.queryByTestId('password-dialog')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Atur ulang kata sandi: keu@haramain.id' }));
    await user.click(screen.getByRole('button', { name: 'Buat acak' }));
    const generated = (screen.getByLabelText('Kata sandi') as HTMLInputElement).value;
    await user.click(screen.getByRole('button', { name: 'Simpan kata sandi baru' }));
    expect(await screen.findByTestId('password-once')).toHaveTextContent(generated);
    expect(changes(calls).map((c) => c.body)).toEqual([
      { password: 'sandi-baru-yang-panjang' },
      { password: generated },
    ]);
  });
});

describe('users (others)', () => {
  it.each(['finance', 'viewer'] as const)(
    'hides the screen from %s and says not allowed at its address',
    async (role) => {
      const { calls } = renderConsole('/pengguna', { 'GET /users': () => ({ data: users }) }, role);
      expect(await screen.findByTestId('not-allowed')).toHaveTextContent('Halaman ini hanya untuk pemilik');
      const nav = screen.getByRole('navigation', { name: 'Menu utama' });
      expect(within(nav).getByRole('link', { name: 'Daftar' })).toBeInTheDocument();
      expect(within(nav).queryByRole('link', { name: 'Pengguna' })).toBeNull();
      expect(calls.some((c) => c.path === '/users')).toBe(false);
    },
  );

  it('says not allowed when HQ answers 403 (the role changed since signing in)', async () => {
    renderConsole('/pengguna', { 'GET /users': () => ({ status: 403, error: { code: 'forbidden' } }) });
    expect(await screen.findByTestId('not-allowed')).toBeInTheDocument();
  });
});

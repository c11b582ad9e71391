import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { changes, renderConsole } from '../../test/renderConsole';

const ok = () => ({ data: {} });

describe('lists', () => {
  it('sends the right bodies for adding, renaming, retyping and (de)activating', async () => {
    const { calls } = renderConsole('/daftar', {
      'POST /lists/categories': () => ({ status: 201, data: {} }),
      'PATCH /lists/categories/c-gaji': ok,
      'PATCH /lists/categories/c-jual': ok,
      'POST /lists/channels': () => ({ status: 201, data: {} }),
      'PATCH /lists/channels/ch-qris': ok,
      'PUT /lists/settings': ok,
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Tambah kategori: Nama'), 'Listrik');
    await user.selectOptions(screen.getByLabelText('Untuk'), 'BOTH');
    await user.click(screen.getByRole('button', { name: 'Tambah kategori' }));

    await user.click(screen.getByRole('button', { name: 'Ubah nama: Gaji' }));
    const rename = screen.getByLabelText('Nama baru: Gaji');
    await user.clear(rename);
    await user.type(rename, 'Gaji Karyawan{Enter}');

    await user.selectOptions(screen.getByLabelText('Untuk: Penjualan'), 'BOTH');
    await user.click(screen.getByRole('button', { name: 'Nonaktifkan: Penjualan' }));

    await user.type(screen.getByLabelText('Tambah metode bayar: Nama'), 'GoPay');
    await user.click(screen.getByRole('button', { name: 'Tambah metode bayar' }));
    await user.click(screen.getByRole('button', { name: 'Ubah nama: QRIS' }));
    const channel = screen.getByLabelText('Nama baru: QRIS');
    await user.clear(channel);
    await user.type(channel, 'QRIS BCA{Enter}');
    await user.click(screen.getByRole('button', { name: 'Nonaktifkan: QRIS' }));
    await user.click(screen.getByRole('switch', { name: /kategori baru/ }));

    await waitFor(() => expect(changes(calls)).toHaveLength(8));
    expect(changes(calls).map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/lists/categories', { name: 'Listrik', type: 'BOTH' }],
      ['PATCH', '/lists/categories/c-gaji', { name: 'Gaji Karyawan' }],
      ['PATCH', '/lists/categories/c-jual', { type: 'BOTH' }],
      ['PATCH', '/lists/categories/c-jual', { active: false }],
      ['POST', '/lists/channels', { name: 'GoPay', kind: 'non_cash' }],
      ['PATCH', '/lists/channels/ch-qris', { name: 'QRIS BCA' }],
      ['PATCH', '/lists/channels/ch-qris', { active: false }],
      ['PUT', '/lists/settings', { allow_new_categories: false }],
    ]);
  });

  it('says a taken name (409)', async () => {
    renderConsole('/daftar', { 'POST /lists/categories': () => ({ status: 409, error: { code: 'conflict' } }) });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Tambah kategori: Nama'), 'Gaji');
    await user.click(screen.getByRole('button', { name: 'Tambah kategori' }));
    expect(await screen.findByText('Nama atau kode itu sudah dipakai')).toBeInTheDocument();
  });

  it('shows a viewer the lists without any change control', async () => {
    renderConsole('/daftar', {}, 'viewer');
    expect(await screen.findByText('Penjualan')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Tambah|Ubah nama|Nonaktifkan|Aktifkan/ })).toBeNull();
    expect(screen.getByRole('switch')).toBeDisabled();
    expect(screen.getByTestId('read-only')).toBeInTheDocument();
  });

  it('lets finance change the lists', async () => {
    renderConsole('/daftar', {}, 'finance');
    expect(await screen.findByRole('button', { name: 'Tambah kategori' })).toBeInTheDocument();
    expect(screen.getByRole('switch')).toBeEnabled();
  });
});

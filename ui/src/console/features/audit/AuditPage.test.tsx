import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { id } from '../../i18n/id';
import { hqSettings, renderConsole } from '../../test/renderConsole';
import { actionText } from './words';

const entries = [
  { at: '2025-12-08T06:45:00Z', actor: 'pemilik@haramain.id', action: 'user.disable', target: 'keu@haramain.id' },
  { at: '2025-12-08T05:00:00Z', actor: 'keu@haramain.id', action: 'list.category.add', target: 'Listrik' },
  { at: '2025-12-07T23:30:00Z', actor: 'admin token', action: 'branch.rotate_key', target: 'BDG01' },
  { at: '2025-12-07T10:00:00Z', actor: 'command line', action: 'user.create', target: 'pemilik@haramain.id' },
  { at: '2025-12-06T10:00:00Z', actor: 'pemilik@haramain.id', action: 'branch.merge', target: 'SBY01' },
];

const ACTIONS = [
  'branch.create',
  'branch.rotate_key',
  'branch.disable',
  'branch.enable',
  'list.category.add',
  'list.category.change',
  'list.channel.add',
  'list.channel.change',
  'list.settings',
  'user.create',
  'user.disable',
  'user.enable',
  'user.reset_password',
];

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('audit log (owners)', () => {
  it("shows who changed what, in words, at HQ's local time with its label (WITA)", async () => {
    renderConsole('/audit', {
      'GET /settings': () => ({ data: hqSettings('Asia/Makassar', 'WITA', 480) }),
      'GET /audit': () => ({ data: entries }),
    });
    const rows = await screen.findAllByTestId('audit-row');
    expect(screen.getByRole('link', { name: 'Riwayat perubahan' })).toHaveAttribute('aria-current', 'page');
    expect(rows.map(cells)).toEqual([
      ['08/12/2025 14.45 WITA', 'pemilik@haramain.id', 'Pengguna dinonaktifkan', 'keu@haramain.id'],
      ['08/12/2025 13.00 WITA', 'keu@haramain.id', 'Kategori ditambahkan', 'Listrik'],
      // 23:30 UTC is already the next day in Makassar.
      ['08/12/2025 07.30 WITA', 'Token admin (skrip)', 'Kunci cabang diganti', 'BDG01'],
      ['07/12/2025 18.00 WITA', 'Baris perintah server', 'Pengguna ditambahkan', 'pemilik@haramain.id'],
      ['06/12/2025 18.00 WITA', 'pemilik@haramain.id', 'branch.merge', 'SBY01'],
    ]);
    expect(screen.getByTestId('audit-count')).toHaveTextContent('5 dari 5 perubahan terakhir');
  });

  it('filters by actor or item, in any case, in the browser', async () => {
    const { calls } = renderConsole('/audit', { 'GET /audit': () => ({ data: entries }) });
    const user = userEvent.setup();
    const filter = await screen.findByLabelText('Saring menurut pelaku atau item');
    await user.type(filter, 'KEU@');
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    expect(screen.getAllByTestId('audit-row').map((r) => cells(r)[2])).toEqual([
      'Pengguna dinonaktifkan',
      'Kategori ditambahkan',
    ]);
    expect(screen.getByTestId('audit-count')).toHaveTextContent('2 dari 5');

    await user.clear(filter);
    await user.type(filter, 'bdg01');
    expect(screen.getAllByTestId('audit-row').map((r) => cells(r)[3])).toEqual(['BDG01']);

    // The actor as shown in words matches too.
    await user.clear(filter);
    await user.type(filter, 'baris perintah');
    expect(screen.getAllByTestId('audit-row').map((r) => cells(r)[2])).toEqual(['Pengguna ditambahkan']);

    // The action's words are not an actor or an item.
    await user.clear(filter);
    await user.type(filter, 'kunci');
    expect(screen.queryByTestId('audit-row')).toBeNull();
    expect(screen.getByText('Tidak ada perubahan yang cocok dengan saringan.')).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/audit')).toHaveLength(1);
  });

  it('has words for every action HQ records, in both languages', () => {
    for (const action of ACTIONS) {
      expect(actionText(id, action)).not.toBe(action);
      expect(actionText(en, action)).not.toBe(action);
    }
    expect(actionText(en, 'user.reset_password')).toBe('Password reset');
    expect(actionText(id, 'something.new')).toBe('something.new');
  });
});

describe('audit log (others)', () => {
  it.each(['finance', 'viewer'] as const)('is hidden from %s, whose address says not allowed', async (role) => {
    const { calls } = renderConsole('/audit', { 'GET /audit': () => ({ data: entries }) }, role);
    expect(await screen.findByTestId('not-allowed')).toHaveTextContent('Tidak diizinkan');
    const nav = screen.getByRole('navigation', { name: 'Menu utama' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Ringkasan', 'Cabang', 'Staf cabang', 'Daftar']);
    expect(calls.some((c) => c.path === '/audit')).toBe(false);
  });

  it('shows an owner every menu item', async () => {
    renderConsole('/audit', { 'GET /audit': () => ({ data: [] }) });
    expect(await screen.findByText('Belum ada perubahan yang tercatat.')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Menu utama' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Ringkasan', 'Cabang', 'Staf cabang', 'Daftar', 'Pengguna', 'Riwayat perubahan']);
  });
});

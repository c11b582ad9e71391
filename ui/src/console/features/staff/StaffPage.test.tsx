import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Call } from '@/test/mockApi';
import type { BranchStaff } from '../../api/types';
import { branch, changes, CSRF, renderConsole } from '../../test/renderConsole';

const B1 = '11111111-1111-4111-8111-111111111111';
const B2 = '22222222-2222-4222-8222-222222222222';
const branches = [branch(B1, 'BDG01', 'Bandung'), branch(B2, 'SBY01', 'Surabaya')];

const member = (id: string, branch_id: string, name: string, role: BranchStaff['role'], active = true) => ({
  id,
  branch_id,
  name,
  role,
  active,
});

/** HQ's staff per branch, as `GET /staff?branch_id=` lists them (by name); changes edit it. */
function staffApi(initial: Record<string, BranchStaff[]>) {
  const byBranch = structuredClone(initial);
  const all = () => Object.values(byBranch).flat();
  return {
    'GET /branches': () => ({ data: branches }),
    'GET /staff': (call: Call) => {
      const id = call.query.get('branch_id') ?? '';
      const list = byBranch[id];
      if (!list) return { status: 404, error: { code: 'not_found' } };
      return { data: [...list].sort((a, b) => a.name.localeCompare(b.name)) };
    },
    'POST /staff': (call: Call) => {
      const body = call.body as { branch_id: string; name: string; role: BranchStaff['role']; pin?: string };
      const list = byBranch[body.branch_id] ?? [];
      if (list.some((s) => s.name.toLowerCase() === body.name.toLowerCase()))
        return { status: 409, error: { code: 'conflict' } };
      if (body.pin === '123456')
        return {
          status: 400,
          error: {
            code: 'validation_failed',
            details: [{ field: 'pin', rule: 'weak', issue: 'is too easy to guess' }],
          },
        };
      const made = member(`s${all().length + 1}`, body.branch_id, body.name, body.role);
      byBranch[body.branch_id] = [...list, made];
      return { status: 201, data: { ...made, pin: body.pin ?? '580317' } };
    },
  };
}

const bandung = [member('s1', B1, 'Siti Aminah', 'supervisor'), member('s2', B1, 'Budi', 'cashier', false)];
const surabaya = [member('s3', B2, 'Rahmat', 'cashier')];

/** Opens the add dialog once the branch and its staff are shown. */
async function openAdd(user: ReturnType<typeof userEvent.setup>) {
  await screen.findAllByTestId('staff-row');
  await user.click(screen.getByRole('button', { name: 'Tambah staf' }));
  return screen.getByRole('dialog');
}

const rowOf = (name: string) => screen.getAllByTestId('staff-row').find((r) => r.textContent?.includes(name));

describe('branch staff', () => {
  it("lists the chosen branch's staff, with the branch in the address", async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung, [B2]: surabaya }));
    const user = userEvent.setup();
    expect(await screen.findAllByTestId('staff-row')).toHaveLength(2);
    expect(within(rowOf('Budi')!).getByText('Kasir')).toBeInTheDocument();
    expect(within(rowOf('Budi')!).getByText('Nonaktif')).toBeInTheDocument();
    expect(within(rowOf('Siti Aminah')!).getByText('Supervisor')).toBeInTheDocument();
    expect(within(rowOf('Siti Aminah')!).getByText('Aktif')).toBeInTheDocument();
    expect(screen.getByTestId('next-sync')).toHaveTextContent(
      'Perubahan di sini sampai ke komputer cabang pada sinkronisasi berikutnya',
    );
    const nav = screen.getByRole('navigation', { name: 'Menu utama' });
    expect(within(nav).getByRole('link', { name: 'Staf cabang' })).toHaveAttribute('aria-current', 'page');

    await user.selectOptions(screen.getByLabelText('Cabang'), B2);
    await waitFor(() => expect(screen.getAllByTestId('staff-row')).toHaveLength(1));
    expect(screen.getByText('Rahmat')).toBeInTheDocument();
    expect(window.location.search).toBe(`?branch_id=${B2}`);
    expect(calls.filter((c) => c.path === '/staff').map((c) => c.query.get('branch_id'))).toEqual([B1, B2]);
  });

  it('opens on the first branch when the address names none, and says a branch without staff', async () => {
    renderConsole('/staf', staffApi({ [B1]: [], [B2]: surabaya }));
    expect(await screen.findByText(/Belum ada staf di cabang ini/)).toBeInTheDocument();
    expect(screen.getByLabelText('Cabang')).toHaveValue(B1);
    expect(window.location.search).toBe(`?branch_id=${B1}`);
  });

  it('says an unknown branch in the address (404) and lets another be picked', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    renderConsole(`/staf?branch_id=${unknown}`, staffApi({ [B1]: bandung }));
    expect(await screen.findByTestId('unknown-branch')).toHaveTextContent('Cabang ini tidak ditemukan');
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Cabang'), B1);
    expect(await screen.findAllByTestId('staff-row')).toHaveLength(2);
  });

  it('adds a cashier with a typed PIN, shows the PIN once and refreshes the list', async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }));
    const user = userEvent.setup();
    const dialog = await openAdd(user);
    expect(dialog).toHaveTextContent('Tambah staf cabang Bandung');
    await user.type(within(dialog).getByLabelText('Nama'), 'Dewi Lestari');
    expect(within(dialog).getByLabelText('Peran')).toHaveValue('cashier');
    const pin = within(dialog).getByLabelText('PIN (boleh dikosongkan)');
    expect(pin).toHaveAttribute('inputmode', 'numeric');
    expect(pin).toHaveAttribute('maxlength', '6');
    expect(pin).toHaveAccessibleDescription(/Kosongkan agar kantor pusat membuat PIN acak/);
    await user.type(pin, '40a2913');
    expect(pin).toHaveValue('402913');
    await user.click(within(dialog).getByRole('button', { name: 'Tambah staf' }));

    const once = await screen.findByTestId('pin-dialog');
    expect(within(once).getByTestId('staff-pin')).toHaveTextContent('402913');
    expect(once).toHaveTextContent('hanya ditampilkan sekali');
    expect(once).toHaveTextContent('Berikan PIN ini langsung kepada Dewi Lestari');
    await user.click(within(once).getByRole('button', { name: 'Salin' }));
    expect(await navigator.clipboard.readText()).toBe('402913');

    const post = changes(calls).find((c) => c.path === '/staff');
    expect(post?.body).toEqual({ branch_id: B1, name: 'Dewi Lestari', role: 'cashier', pin: '402913' });
    expect(post?.headers.get('X-KH-CSRF')).toBe(CSRF);
    await waitFor(() => expect(screen.getAllByTestId('staff-row')).toHaveLength(3));

    await user.click(within(once).getByRole('button', { name: 'Sudah saya catat' }));
    await waitFor(() => expect(screen.queryByTestId('staff-pin')).not.toBeInTheDocument());
    expect(screen.queryByText('402913')).toBeNull();
  });

  it('leaves the PIN out when empty, so HQ makes one, and shows it', async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }));
    const user = userEvent.setup();
    const dialog = await openAdd(user);
    await user.type(within(dialog).getByLabelText('Nama'), 'Joko');
    await user.selectOptions(within(dialog).getByLabelText('Peran'), 'supervisor');
    await user.click(within(dialog).getByRole('button', { name: 'Tambah staf' }));
    expect(await screen.findByTestId('staff-pin')).toHaveTextContent('580317');
    expect(changes(calls)[0]?.body).toEqual({ branch_id: B1, name: 'Joko', role: 'supervisor' });
  });

  it('says a PIN too easy to guess in Indonesian under the PIN, and a taken name under the name', async () => {
    renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }));
    const user = userEvent.setup();
    const dialog = await openAdd(user);
    await user.type(within(dialog).getByLabelText('Nama'), 'Dewi');
    await user.type(within(dialog).getByLabelText('PIN (boleh dikosongkan)'), '123456');
    await user.click(within(dialog).getByRole('button', { name: 'Tambah staf' }));
    const error = await within(dialog).findByTestId('staff-pin-input-error');
    expect(error).toHaveTextContent('Terlalu mudah ditebak');
    expect(within(dialog).getByLabelText('PIN (boleh dikosongkan)')).toHaveAccessibleDescription(
      /Terlalu mudah ditebak/,
    );
    expect(screen.queryByTestId('pin-dialog')).toBeNull();

    const name = within(dialog).getByLabelText('Nama');
    await user.clear(name);
    await user.type(name, 'siti aminah');
    const pin = within(dialog).getByLabelText('PIN (boleh dikosongkan)');
    await user.clear(pin);
    await user.type(pin, '402913');
    await user.click(within(dialog).getByRole('button', { name: 'Tambah staf' }));
    expect(await within(dialog).findByTestId('staff-name-error')).toHaveTextContent(
      'Cabang ini sudah punya staf dengan nama ini',
    );
  });

  it('checks a short PIN and an empty name before asking HQ', async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }));
    const user = userEvent.setup();
    const dialog = await openAdd(user);
    await user.type(within(dialog).getByLabelText('PIN (boleh dikosongkan)'), '4029');
    await user.click(within(dialog).getByRole('button', { name: 'Tambah staf' }));
    expect(within(dialog).getByTestId('staff-name-error')).toHaveTextContent('Wajib diisi');
    expect(within(dialog).getByTestId('staff-pin-input-error')).toHaveTextContent('PIN harus tepat 6 angka');
    expect(changes(calls)).toHaveLength(0);
  });

  it('asks before deactivating, then sends active false; activates without asking', async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, {
      ...staffApi({ [B1]: bandung }),
      'PATCH /staff/s1': () => ({ data: { ...bandung[0], active: false } }),
      'PATCH /staff/s2': () => ({ data: { ...bandung[1], active: true } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Nonaktifkan: Siti Aminah' }));
    const confirm = screen.getByRole('dialog');
    expect(confirm).toHaveTextContent('Siti Aminah tidak dapat masuk lagi di komputer cabang');
    expect(changes(calls)).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Batal' }));
    expect(changes(calls)).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Nonaktifkan: Siti Aminah' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Ya, nonaktifkan' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Aktifkan: Budi' }));
    await waitFor(() =>
      expect(changes(calls).map((c) => [c.method, c.path, c.body])).toEqual([
        ['PATCH', '/staff/s1', { active: false }],
        ['PATCH', '/staff/s2', { active: true }],
      ]),
    );
  });

  it('renames and changes the role, sending only what changed', async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, {
      ...staffApi({ [B1]: bandung }),
      'PATCH /staff/s2': () => ({ data: { ...bandung[1], name: 'Budi Santoso', role: 'supervisor' } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Ubah: Budi' }));
    const dialog = screen.getByRole('dialog');
    const name = within(dialog).getByLabelText('Nama');
    expect(name).toHaveValue('Budi');
    await user.clear(name);
    await user.type(name, 'Budi Santoso');
    await user.selectOptions(within(dialog).getByLabelText('Peran'), 'supervisor');
    await user.click(within(dialog).getByRole('button', { name: 'Simpan' }));
    expect(await screen.findByText('Budi Santoso tersimpan')).toBeInTheDocument();
    expect(changes(calls).map((c) => c.body)).toEqual([{ name: 'Budi Santoso', role: 'supervisor' }]);
  });

  it('resets a PIN (HQ makes it when left empty) and shows the new one once', async () => {
    const { calls } = renderConsole(`/staf?branch_id=${B1}`, {
      ...staffApi({ [B1]: bandung }),
      'POST /staff/s1/pin': () => ({ data: { ...bandung[0], pin: '730461' } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Atur ulang PIN: Siti Aminah' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('PIN lama berhenti berlaku setelah komputer cabang sinkron berikutnya');
    await user.click(within(dialog).getByRole('button', { name: 'Simpan PIN baru' }));
    expect(await screen.findByTestId('staff-pin')).toHaveTextContent('730461');
    expect(changes(calls).map((c) => [c.path, c.body])).toEqual([['/staff/s1/pin', {}]]);
  });

  it('shows a viewer the staff without any change button', async () => {
    renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }), 'viewer');
    expect(await screen.findAllByTestId('staff-row')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: /Tambah staf|Ubah|Atur ulang PIN|Nonaktifkan|Aktifkan/ })).toBeNull();
    expect(screen.getByTestId('read-only')).toHaveTextContent('Hanya pemilik dan bagian keuangan');
    expect(screen.queryAllByRole('columnheader')).toHaveLength(3);
  });

  it('lets finance manage the staff', async () => {
    renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }), 'finance');
    expect(await screen.findByRole('button', { name: 'Atur ulang PIN: Budi' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Tambah staf' })).toBeEnabled();
  });

  it('reads in English when asked', async () => {
    renderConsole(`/staf?branch_id=${B1}`, staffApi({ [B1]: bandung }));
    const user = userEvent.setup();
    await screen.findAllByTestId('staff-row');
    await user.selectOptions(screen.getByTestId('language'), 'en');
    expect(await screen.findByRole('heading', { name: 'Branch staff' })).toBeInTheDocument();
    expect(screen.getByText('Cashier')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deactivate: Siti Aminah' })).toBeInTheDocument();
    expect(screen.getByTestId('next-sync')).toHaveTextContent('reach the branch PC at its next sync');
    localStorage.removeItem('kh.lang');
  });
});

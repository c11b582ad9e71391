import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSession, setSession } from '@/lib/session';
import { mockApi } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { ShiftBar } from './ShiftBar';

const open = {
  id: '5a1e7c2a-6f1d-4c3e-9a57-2d4f8e1b6c01',
  status: 'open',
  opened_at: '2025-12-08T01:00:00.000Z',
  opened_by_name: 'Siti',
  opening_float: 200_000,
  suggested_float: null,
  opening_difference: 0,
  opening_note: null,
  cash_in: 50_000,
  cash_out: 15_000,
  entries: 2,
  expected: 235_000,
  closed_at: null,
  closed_by_name: null,
  counts: null,
  counted: null,
  difference: null,
  close_note: null,
  approved_by_name: null,
};

afterEach(() => {
  // Unmounted first: the dialog follows the session.
  cleanup();
  clearSession();
  vi.unstubAllGlobals();
});

const siti = { id: '11111111-1111-4111-8111-111111111111', name: 'Siti', role: 'cashier' as const };
const budi = { id: '22222222-2222-4222-8222-222222222222', name: 'Budi', role: 'supervisor' as const };

/** `GET /system/settings` of a branch in WIB with HQ's cash rules. */
const settings = (rules: { cash_difference_threshold?: number; blind_close?: boolean } = {}) => ({
  timezone: 'Asia/Jakarta',
  zone_label: 'WIB',
  utc_offset_minutes: 420,
  business_day_starts_at: '00:00',
  ...rules,
});

describe('the shift bar', () => {
  it('says what the drawer should hold, counts by denomination as you type, and needs a note for a difference', async () => {
    const { calls } = mockApi({
      'GET /shifts/current': () => ({ data: { shift: open, suggested_float: null } }),
      [`POST /shifts/${open.id}/close`]: ({ body }) => ({
        data: {
          ...open,
          status: 'closed',
          closed_at: '2025-12-08T09:00:00.000Z',
          counts: (body as { counts: Record<string, number> }).counts,
          counted: 230_000,
          difference: -5_000,
          close_note: (body as { note: string }).note,
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    expect(await screen.findByTestId('shift-expected')).toHaveTextContent('Rp 235.000');
    await user.click(screen.getByTestId('close-shift-open'));
    await user.type(screen.getByLabelText('Uang kertas Rp 100.000'), '2');
    await user.type(screen.getByLabelText('Uang kertas Rp 20.000'), '1');
    await user.type(screen.getByLabelText('Uang kertas Rp 10.000'), '1');
    expect(screen.getByTestId('close-counted')).toHaveTextContent('Rp 230.000');
    expect(screen.getByTestId('close-difference')).toHaveTextContent('−Rp 5.000');
    expect(screen.getByTestId('close-shift-confirm')).toBeDisabled();
    await user.type(screen.getByLabelText('Keterangan selisih'), 'kurang kembalian');
    await user.click(screen.getByTestId('close-shift-confirm'));
    expect(await screen.findByTestId('report-difference')).toHaveTextContent('−Rp 5.000');
    const sent = calls.find((c) => c.method === 'POST')?.body as { counts: Record<string, number>; note: string };
    expect(sent.note).toBe('kurang kembalian');
    expect(sent.counts.note_100000).toBe(2);
    expect(sent.counts.coin_100).toBe(0);
    await waitFor(() => expect(screen.getByTestId('shift-print')).toBeInTheDocument());
  });

  it('lists the past shifts and opens one to print its report', async () => {
    const closed = {
      ...open,
      status: 'closed',
      counted: 230_000,
      difference: -5_000,
      closed_at: '2025-12-08T09:00:00.000Z',
      counts: { note_100000: 2 },
    };
    mockApi({
      'GET /shifts/current': () => ({ data: { shift: null, suggested_float: 230_000 } }),
      'GET /shifts': () => ({ data: { items: [closed], page: 1, limit: 20, total: 1, total_pages: 1 } }),
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('shift-history-open'));
    const row = await screen.findByTestId('shift-row');
    expect(row).toHaveTextContent('Rp 230.000');
    expect(row).toHaveTextContent('−Rp 5.000');
    await user.click(within(row).getByRole('button'));
    expect(await screen.findByTestId('report-difference')).toHaveTextContent('−Rp 5.000');
  });
});

describe("the branch's cash rules", () => {
  it('asks a cashier for a supervisor only over the threshold HQ set, and names it', async () => {
    setSession({ token: 'c'.repeat(64), staff: siti, idleLockMinutes: 10 });
    mockApi({
      'GET /system/settings': () => ({ data: settings({ cash_difference_threshold: 25_000 }) }),
      'GET /staff': () => ({ data: { required: true, idle_lock_minutes: 10, staff: [budi, siti] } }),
      'GET /shifts/current': () => ({ data: { shift: open, suggested_float: null } }),
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('close-shift-open'));
    // Rp 20.000 short: over the default Rp 10.000, not over this branch's Rp 25.000.
    await user.type(screen.getByLabelText('Uang kertas Rp 100.000'), '2');
    await user.type(screen.getByLabelText('Uang kertas Rp 10.000'), '1');
    await user.type(screen.getByLabelText('Uang kertas Rp 5.000'), '1');
    expect(screen.getByTestId('close-difference')).toHaveTextContent('−Rp 20.000');
    expect(screen.queryByTestId('close-approval')).not.toBeInTheDocument();
    // Rp 30.000 short: a supervisor, and the dialog says why.
    await user.clear(screen.getByLabelText('Uang kertas Rp 10.000'));
    expect(screen.getByTestId('close-difference')).toHaveTextContent('−Rp 30.000');
    const approval = await screen.findByTestId('close-approval');
    expect(approval).toHaveTextContent('Selisih lebih dari Rp 25.000 perlu disetujui supervisor');
    expect(within(approval).getByLabelText('PIN supervisor')).toBeInTheDocument();
    expect(await within(approval).findByRole('option', { name: 'Budi' })).toBeInTheDocument();
  });

  it('keeps Rp 10.000 when the server does not say', async () => {
    setSession({ token: 'c'.repeat(64), staff: siti, idleLockMinutes: 10 });
    mockApi({
      'GET /system/settings': () => ({
        data: { timezone: 'Asia/Jakarta', zone_label: 'WIB', utc_offset_minutes: 420 },
      }),
      'GET /staff': () => ({ data: { required: true, idle_lock_minutes: 10, staff: [budi, siti] } }),
      'GET /shifts/current': () => ({ data: { shift: open, suggested_float: null } }),
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('close-shift-open'));
    await user.type(screen.getByLabelText('Uang kertas Rp 100.000'), '2');
    await user.type(screen.getByLabelText('Uang kertas Rp 20.000'), '1');
    expect(screen.getByTestId('close-difference')).toHaveTextContent('−Rp 15.000');
    const approval = await screen.findByTestId('close-approval');
    expect(approval).toHaveTextContent('Selisih lebih dari Rp 10.000 perlu disetujui supervisor');
    expect(await within(approval).findByRole('option', { name: 'Budi' })).toBeInTheDocument();
  });
});

describe('a blind close', () => {
  /** The open shift as kh-local answers it on a blind close: no figures until the count. */
  const blindOpen = { ...open, cash_in: null, cash_out: null, expected: null };
  const closedFrom = (body: unknown) => ({
    ...open,
    status: 'closed',
    closed_at: '2025-12-08T09:00:00.000Z',
    closed_by_name: 'Siti',
    counts: (body as { counts: Record<string, number> }).counts,
    counted: 230_000,
    difference: -5_000,
    close_note: (body as { note?: string }).note ?? null,
  });

  it('hides what the drawer should hold, asks for the note when the server says, keeps the count, and shows the difference after', async () => {
    const { calls } = mockApi({
      'GET /system/settings': () => ({ data: settings({ blind_close: true }) }),
      'GET /shifts/current': () => ({ data: { shift: blindOpen, suggested_float: null } }),
      [`POST /shifts/${open.id}/close`]: ({ body }) =>
        (body as { note?: string }).note
          ? { data: closedFrom(body) }
          : {
              status: 400,
              error: {
                code: 'validation_failed',
                details: [{ field: 'note', rule: 'required', issue: 'A difference needs a note' }],
              },
            },
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    const bar = await screen.findByTestId('shift-bar');
    expect(await within(bar).findByText('Jumlah seharusnya tampil setelah tutup kasir')).toBeInTheDocument();
    expect(bar).not.toHaveTextContent(/Rp/);

    await user.click(screen.getByTestId('close-shift-open'));
    const dialog = screen.getByTestId('close-shift-dialog');
    expect(dialog).toHaveTextContent('Hitung tanpa melihat jumlah seharusnya');
    expect(within(dialog).queryByText('Seharusnya (menurut buku)')).not.toBeInTheDocument();
    expect(within(dialog).queryByText('Selisih')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Uang kertas Rp 100.000'), '2');
    await user.type(screen.getByLabelText('Uang kertas Rp 20.000'), '1');
    await user.type(screen.getByLabelText('Uang kertas Rp 10.000'), '1');
    expect(screen.getByTestId('close-counted')).toHaveTextContent('Rp 230.000');
    expect(dialog).not.toHaveTextContent('Rp 235.000');
    // The note is there from the start, and not required before the server says.
    expect(screen.getByLabelText('Keterangan selisih')).toHaveValue('');
    expect(screen.getByTestId('close-shift-confirm')).toBeEnabled();
    await user.click(screen.getByTestId('close-shift-confirm'));

    expect(await screen.findByTestId('shift-close-note-error')).toHaveTextContent('Tulis alasan selisih');
    expect(screen.getByLabelText('Keterangan selisih')).toHaveFocus();
    expect(screen.getByLabelText('Uang kertas Rp 100.000')).toHaveValue('2');
    expect(screen.getByLabelText('Uang kertas Rp 20.000')).toHaveValue('1');
    expect(screen.getByTestId('close-counted')).toHaveTextContent('Rp 230.000');
    expect(screen.getByTestId('close-shift-confirm')).toBeDisabled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Keterangan selisih'), 'kurang kembalian');
    await user.click(screen.getByTestId('close-shift-confirm'));
    expect(await screen.findByTestId('report-difference')).toHaveTextContent('−Rp 5.000');
    expect(screen.getByTestId('report-expected')).toHaveTextContent('Rp 235.000');
    expect(screen.getByTestId('report-counted')).toHaveTextContent('Rp 230.000');
    const sent = calls.filter((c) => c.method === 'POST').map((c) => c.body as { counts: object; note?: string });
    expect(sent).toHaveLength(2);
    expect(sent.map((b) => b.note)).toEqual([undefined, 'kurang kembalian']);
    expect(sent[1]!.counts).toEqual(sent[0]!.counts);
  });

  it('asks a cashier for a supervisor when the server says it is over the threshold, and keeps the count', async () => {
    setSession({ token: 'c'.repeat(64), staff: siti, idleLockMinutes: 10 });
    const { calls } = mockApi({
      'GET /system/settings': () => ({ data: settings({ blind_close: true, cash_difference_threshold: 2_000 }) }),
      'GET /staff': () => ({ data: { required: true, idle_lock_minutes: 10, staff: [budi, siti] } }),
      'GET /shifts/current': () => ({ data: { shift: blindOpen, suggested_float: null } }),
      [`POST /shifts/${open.id}/close`]: ({ body }) =>
        (body as { approval?: unknown }).approval
          ? { data: { ...closedFrom(body), approved_by_name: 'Budi' } }
          : { status: 403, error: { code: 'approval_required' } },
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('close-shift-open'));
    expect(screen.getByTestId('close-blind')).toHaveTextContent(
      'selisih lebih dari Rp 2.000 perlu disetujui supervisor',
    );
    expect(screen.queryByTestId('close-approval')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Uang kertas Rp 100.000'), '2');
    await user.type(screen.getByLabelText('Uang kertas Rp 20.000'), '1');
    await user.type(screen.getByLabelText('Uang kertas Rp 10.000'), '1');
    await user.type(screen.getByLabelText('Keterangan selisih'), 'kurang kembalian');
    await user.click(screen.getByTestId('close-shift-confirm'));

    const approval = await screen.findByTestId('close-approval');
    expect(approval).toHaveTextContent('Perlu persetujuan supervisor');
    expect(within(approval).getByLabelText('Supervisor')).toHaveFocus();
    expect(screen.getByLabelText('Uang kertas Rp 100.000')).toHaveValue('2');
    expect(screen.getByLabelText('Keterangan selisih')).toHaveValue('kurang kembalian');
    await within(approval).findByRole('option', { name: 'Budi' });
    await user.selectOptions(within(approval).getByLabelText('Supervisor'), budi.id);
    await user.type(within(approval).getByLabelText('PIN supervisor'), '583920');
    await user.click(screen.getByTestId('close-shift-confirm'));
    expect(await screen.findByTestId('report-difference')).toHaveTextContent('−Rp 5.000');
    expect(screen.getByTestId('shift-report')).toHaveTextContent('Budi');
    const last = calls.filter((c) => c.method === 'POST').at(-1)?.body as { approval: unknown; note: string };
    expect(last.approval).toEqual({ staff_id: budi.id, pin: '583920' });
    expect(last.note).toBe('kurang kembalian');
  });

  it('says the shift moved while counting when the close is refused as a conflict, and keeps the count', async () => {
    const { calls } = mockApi({
      'GET /system/settings': () => ({ data: settings() }),
      'GET /shifts/current': () => ({ data: { shift: open, suggested_float: null } }),
      [`POST /shifts/${open.id}/close`]: () => ({
        status: 409,
        error: { code: 'conflict', message: 'An entry was recorded while the drawer was being counted' },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('close-shift-open'));
    await user.type(screen.getByLabelText('Uang kertas Rp 100.000'), '2');
    await user.type(screen.getByLabelText('Uang kertas Rp 20.000'), '1');
    await user.type(screen.getByLabelText('Uang kertas Rp 10.000'), '1');
    await user.type(screen.getByLabelText('Uang kertas Rp 5.000'), '1');
    await user.click(screen.getByTestId('close-shift-confirm'));
    expect(await screen.findByTestId('close-error')).toHaveTextContent('Shift ini berubah saat uang dihitung');
    expect(screen.getByLabelText('Uang kertas Rp 100.000')).toHaveValue('2');
    // The shift is read again, so the dialog shows what the book expects now.
    await waitFor(() => expect(calls.filter((c) => c.path === '/shifts/current').length).toBeGreaterThan(1));
  });

  it('shows a dash for the open shift in the history, whose figures come with its close', async () => {
    const closed = {
      ...open,
      status: 'closed',
      counted: 230_000,
      difference: -5_000,
      closed_at: '2025-12-08T09:00:00.000Z',
    };
    mockApi({
      'GET /system/settings': () => ({ data: settings({ blind_close: true }) }),
      'GET /shifts/current': () => ({ data: { shift: blindOpen, suggested_float: null } }),
      'GET /shifts': () => ({
        data: {
          items: [{ ...blindOpen, id: 'b2', opened_at: '2025-12-09T01:00:00.000Z' }, closed],
          page: 1,
          limit: 20,
          total: 2,
          total_pages: 1,
        },
      }),
    });
    const user = userEvent.setup();
    renderWithApp(<ShiftBar />);
    await user.click(await screen.findByTestId('shift-history-open'));
    const rows = await screen.findAllByTestId('shift-row');
    const still = rows[0]!;
    const past = rows[1]!;
    expect(still).toHaveTextContent('masih buka');
    expect(still).not.toHaveTextContent(/Rp/);
    expect(within(still).getAllByText('—')).toHaveLength(2);
    expect(past).toHaveTextContent('Rp 235.000');
    await user.click(within(still).getByRole('button'));
    expect(await screen.findByTestId('report-expected')).toHaveTextContent('—');
    expect(screen.getByTestId('shift-report')).not.toHaveTextContent('Rp 235.000');
  });
});

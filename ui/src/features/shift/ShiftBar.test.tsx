import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

afterEach(() => vi.unstubAllGlobals());

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
    await waitFor(() => expect(screen.getByTestId('report-print')).toBeInTheDocument());
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

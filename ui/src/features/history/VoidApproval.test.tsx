import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSession, setSession } from '@/lib/session';
import { mockApi, storedTx } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { DetailPanel } from './DetailPanel';

const siti = { id: '11111111-1111-4111-8111-111111111111', name: 'Siti', role: 'cashier' as const };
const budi = { id: '22222222-2222-4222-8222-222222222222', name: 'Budi', role: 'supervisor' as const };
const roster = { required: true, idle_lock_minutes: 10, staff: [budi, siti] };

afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe('a void by a cashier', () => {
  it('asks for a supervisor and their PIN in the same dialog, and shows who recorded and approved', async () => {
    setSession({ token: 'c'.repeat(64), staff: siti, idleLockMinutes: 10 });
    const tx = {
      ...storedTx({ id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11', type: 'OUT', amount: 20_000, category: 'Operasional' }),
      recorded_by: siti.id,
      recorded_by_name: 'Siti',
    };
    let tries = 0;
    const { calls } = mockApi({
      'GET /staff': () => ({ data: roster }),
      [`GET /transactions/${tx.id}`]: () => ({ data: tx }),
      [`POST /transactions/${tx.id}/void`]: ({ body }) => {
        tries += 1;
        const pin = (body as { approval?: { pin: string } }).approval?.pin;
        if (pin !== '583920') {
          return {
            status: 400,
            error: { code: 'validation_failed', details: [{ field: 'approval.pin', issue: 'Wrong PIN' }] },
          };
        }
        return {
          status: 201,
          data: { ...tx, id: 'd9e33211-3c1e-4c55-9d0a-6f1f0e0b7a11', approved_by: budi.id, approved_by_name: 'Budi' },
        };
      },
    });
    const user = userEvent.setup();
    renderWithApp(<DetailPanel id={tx.id as string} onSelect={() => {}} />);
    expect(await screen.findByTestId('detail-recorded-by')).toHaveTextContent('Siti');
    await user.click(await screen.findByTestId('void-open'));
    expect(await screen.findByTestId('void-approval')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Alasan/), 'salah nominal');
    await user.selectOptions(screen.getByLabelText('Supervisor'), budi.id);
    await user.type(screen.getByLabelText('PIN supervisor'), '111111');
    await user.click(screen.getByTestId('void-confirm'));
    expect(await screen.findByText(/PIN salah/)).toBeInTheDocument();
    expect(screen.getByLabelText('PIN supervisor')).toHaveValue('');
    await user.type(screen.getByLabelText('PIN supervisor'), '583920');
    await user.click(screen.getByTestId('void-confirm'));
    await waitFor(() => expect(screen.queryByTestId('void-dialog')).not.toBeInTheDocument());
    expect(tries).toBe(2);
    const sent = calls.filter((c) => c.method === 'POST').map((c) => c.body);
    expect(sent[1]).toEqual({ reason: 'salah nominal', approval: { staff_id: budi.id, pin: '583920' } });
    expect(calls.find((c) => c.method === 'POST')?.headers.get('X-KH-Session')).toBe('c'.repeat(64));
  });
});

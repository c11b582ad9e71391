import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '@/api/types';
import { renderWithApp } from '@/test/render';
import { SyncStateBadge } from './SyncStateBadge';

const rejected = (code: string | null, reason: string): Transaction => ({
  id: '0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11',
  branch_id: null,
  type: 'OUT',
  category: 'Operasional',
  amount: 20000,
  description: '',
  occurred_at: '2026-12-01T03:00:00.000Z',
  created_at: '2026-12-01T03:00:00.000Z',
  reverses_id: null,
  voided_by: null,
  sync_state: 'rejected',
  is_synced: false,
  synced_at: null,
  sync_error: code ? `${code}: ${reason}` : reason,
  sync_error_code: code,
  sync_error_reason: reason,
  channel_id: '0b8e7c2a-6f1d-4c3e-9a57-2d4f8e1b6c01',
  channel_name: 'Tunai',
});

describe('SyncStateBadge', () => {
  it("says HQ's refusal code in Indonesian, with HQ's reason beside it", () => {
    renderWithApp(
      <SyncStateBadge tx={rejected('unknown_reference', 'the voided entry is not at HQ yet')} withReason />,
    );
    expect(screen.getByTestId('refusal')).toHaveTextContent(
      'Transaksi asalnya belum sampai di pusat; dikirim ulang otomatis (the voided entry is not at HQ yet)',
    );
  });

  it('shows a code it does not know as HQ sent it', () => {
    renderWithApp(<SyncStateBadge tx={rejected('new_rule', 'something new')} withReason />);
    expect(screen.getByTestId('refusal')).toHaveTextContent('new_rule: something new');
  });
});

import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptySummary, mockApi, storedTx } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { TodayPanel } from './TodayPanel';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TodayPanel', () => {
  it('shows each recent entry with its Keterangan, so the cashier can tell them apart', async () => {
    const items = [
      storedTx({ id: 'a', type: 'OUT', amount: 50_000, category: 'Bahan Baku', description: 'beras 5 kg' }),
      storedTx({ id: 'b', type: 'OUT', amount: 50_000, category: 'Bahan Baku' }),
    ];
    mockApi({
      'GET /dashboard/summary': () => ({ data: emptySummary }),
      'GET /transactions': () => ({ data: { items, page: 1, limit: 5, total: 2, total_pages: 1 } }),
    });
    renderWithApp(<TodayPanel />);
    const list = await screen.findByTestId('recent-list');
    expect(within(list).getByText('beras 5 kg')).toBeInTheDocument();
    expect(within(list).getAllByTestId('recent-description')).toHaveLength(1);
  });
});

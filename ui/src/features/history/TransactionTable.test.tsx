import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Transaction } from '@/api/types';
import { storedTx } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { TransactionTable } from './TransactionTable';

const items = ['a', 'b', 'c'].map(
  (id, i) => storedTx({ id, type: 'OUT', amount: (i + 1) * 10_000, category: `Kategori ${id}` }) as Transaction,
);

describe('TransactionTable', () => {
  it('opens an entry from anywhere on its row, not only from the category word', async () => {
    const onSelect = vi.fn();
    const user = userEvent.setup();
    renderWithApp(<TransactionTable items={items} selectedId={null} onSelect={onSelect} />);
    const second = screen.getAllByTestId('tx-row')[1]!;
    await user.click(within(second).getAllByRole('cell')[2]!);
    expect(onSelect).toHaveBeenCalledWith('b');
    expect(onSelect).toHaveBeenCalledTimes(1);
  });

  it('moves between rows with the arrow keys and opens one with Enter', async () => {
    const onSelect = vi.fn();
    const user = userEvent.setup();
    renderWithApp(<TransactionTable items={items} selectedId={null} onSelect={onSelect} />);
    const open = (i: number) => within(screen.getAllByTestId('tx-row')[i]!).getByRole('button');
    open(0).focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(open(2)).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(open(1)).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledWith('b');
  });
});

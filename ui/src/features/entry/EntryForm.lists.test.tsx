import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lists } from '@/api/types';
import { CASH_ID, QRIS_ID, defaultLists, emptySummary, mockApi, storedTx, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { EntryForm } from './EntryForm';

// HQ's lists in the entry form: the payment channel and the categories a new entry may use.

const VOUCHER_ID = '5d0c4b1e-2a3f-4b6c-8d9e-0f1a2b3c4d5e';

const hqLists: Lists = {
  ...defaultLists,
  version: 3,
  categories: [
    { id: 'c1', name: 'Bahan Baku', type: 'OUT', active: true },
    { id: 'c2', name: 'Lain-lain', type: 'BOTH', active: true },
    { id: 'c3', name: 'Penjualan', type: 'IN', active: true },
    { id: 'c4', name: 'Sewa', type: 'OUT', active: false },
  ],
  channels: [...defaultLists.channels, { id: VOUCHER_ID, name: 'Voucher', kind: 'non_cash', active: false }],
};

function api(lists: Lists | 'fail', onCreate?: (call: Call) => ReturnType<Parameters<typeof mockApi>[0][string]>) {
  return mockApi({
    'GET /lists': () => (lists === 'fail' ? { status: 503, error: { code: 'unavailable' } } : { data: lists }),
    'GET /categories': () => ({
      data: [
        { name: 'Parkir', type: 'OUT', count: 4 },
        { name: 'sewa', type: 'OUT', count: 2 },
        { name: 'bahan baku', type: 'OUT', count: 1 },
      ],
    }),
    'GET /dashboard/summary': () => ({ data: emptySummary }),
    'POST /transactions':
      onCreate ?? ((call) => ({ status: 201, data: storedTx(call.body as Record<string, unknown>) })),
  });
}

const amount = () => screen.getByLabelText('Jumlah') as HTMLInputElement;
const category = () => screen.getByLabelText('Kategori') as HTMLInputElement;
const channels = () => screen.getByRole('radiogroup', { name: 'Metode bayar' });
const channel = (name: string) => within(channels()).getByRole('radio', { name });
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const lastBody = (calls: Call[]) => posts(calls).at(-1)!.body as Record<string, unknown>;

async function typeEntry(user: ReturnType<typeof userEvent.setup>, text: string, name: string) {
  await user.click(amount());
  await user.keyboard(text);
  await user.click(category());
  await user.keyboard(name);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('EntryForm with HQ lists', () => {
  it('goes through Tunai unless another method is chosen by keyboard, and is back on Tunai after a save', async () => {
    const { calls } = api(hqLists);
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(channel('Tunai')).toHaveAttribute('aria-checked', 'true'));
    expect(
      within(channels())
        .getAllByRole('radio')
        .map((r) => r.textContent),
    ).toEqual(['Tunai', 'QRIS', 'Transfer Bank', 'EDC/Kartu']);

    await typeEntry(user, '5000', 'Bahan Baku{Enter}');
    await screen.findByText('Berhasil');
    expect(lastBody(calls)).toMatchObject({ amount: 5000, channel_id: CASH_ID });

    await typeEntry(user, '20000', 'Bahan Baku');
    await user.tab();
    await user.keyboard('beras');
    await user.tab(); // from the description to the chosen method
    expect(channel('Tunai')).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(channel('QRIS')).toHaveFocus();
    expect(channel('QRIS')).toHaveAttribute('aria-checked', 'true');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(posts(calls)).toHaveLength(2));
    expect(lastBody(calls)).toMatchObject({ amount: 20_000, description: 'beras', channel_id: QRIS_ID });
    await waitFor(() => expect(channel('Tunai')).toHaveAttribute('aria-checked', 'true'));
    expect(channel('QRIS')).toHaveAttribute('tabindex', '-1');
  });

  it('moves to the next method with F3 without leaving the amount', async () => {
    const { calls } = api(hqLists);
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(channel('Tunai')).toHaveAttribute('aria-checked', 'true'));
    await user.click(amount());
    await user.keyboard('{F3}{F3}');
    expect(channel('Transfer Bank')).toHaveAttribute('aria-checked', 'true');
    expect(amount()).toHaveFocus();
    await user.keyboard('{F3}{F3}'); // past the last active one, back to the first
    expect(channel('Tunai')).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByText(/F3 untuk ganti metode bayar/)).toBeInTheDocument();
    expect(posts(calls)).toHaveLength(0);
  });

  it('never offers an inactive method or category', async () => {
    api(hqLists);
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(channel('Tunai')).toBeInTheDocument());
    expect(within(channels()).queryByRole('radio', { name: 'Voucher' })).toBeNull();
    await user.click(category());
    const options = () => screen.getAllByRole('option').map((o) => o.textContent);
    // HQ's for money out (or both) first, then what else the branch used: Sewa is retired at
    // HQ, and "bahan baku" is HQ's Bahan Baku, for money out only.
    await waitFor(() => expect(options()).toEqual(['Bahan Baku', 'Lain-lain', 'Parkir']));
    await user.keyboard('{F2}');
    await waitFor(() => expect(options()).toEqual(['Lain-lain', 'Penjualan', 'Parkir']));
  });

  it('takes only listed categories when HQ allows no new ones, and says so before sending', async () => {
    const { calls } = api({ ...hqLists, allow_new_categories: false });
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    expect(await screen.findByTestId('entry-category-listed')).toHaveTextContent(
      'Kantor pusat hanya mengizinkan kategori dari daftar',
    );
    await user.click(category());
    await waitFor(() =>
      expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Bahan Baku', 'Lain-lain']),
    );
    await typeEntry(user, '5000', 'Parkir{Enter}');
    expect(await screen.findByTestId('entry-category-error')).toHaveTextContent(
      'Kantor pusat hanya mengizinkan kategori dari daftar; pilih salah satu',
    );
    expect(category()).toHaveAttribute('aria-invalid', 'true');
    // Penjualan is HQ's, but for money in only.
    await user.clear(category());
    await user.keyboard('Penjualan{Enter}');
    expect(await screen.findByTestId('entry-category-error')).toBeInTheDocument();
    expect(posts(calls)).toHaveLength(0);

    await user.clear(category());
    await user.keyboard('  bahan   BAKU{Enter}');
    await screen.findByText('Berhasil');
    expect(lastBody(calls)).toMatchObject({ category: 'Bahan Baku', channel_id: CASH_ID });
  });

  it('still records, as cash, while the lists cannot be had', async () => {
    const { calls } = api('fail');
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    expect(await screen.findByTestId('entry-channel-unavailable')).toHaveTextContent('dicatat sebagai tunai');
    await typeEntry(user, '5000', 'Parkir{Enter}');
    await screen.findByText('Berhasil');
    expect(lastBody(calls)).not.toHaveProperty('channel_id');
    expect(lastBody(calls)).toMatchObject({ category: 'Parkir' });
  });

  it("shows the server's refusal of a method next to the methods and asks for the lists again", async () => {
    const { calls } = api(hqLists, () => ({
      status: 400,
      message: 'Please fix the input',
      error: {
        code: 'validation_failed',
        details: [{ field: 'channel_id', rule: 'one_of', issue: 'is no longer used' } as never],
      },
    }));
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(channel('Tunai')).toBeInTheDocument());
    await user.click(channel('QRIS'));
    await typeEntry(user, '5000', 'Gaji{Enter}');
    expect(await screen.findByTestId('entry-channel-error')).toHaveTextContent(
      'Metode bayar ini tidak ada lagi di daftar kantor pusat',
    );
    expect(channels()).toHaveAttribute('aria-describedby', 'entry-channel-error');
    await waitFor(() => expect(calls.filter((c) => c.path === '/lists')).toHaveLength(2));
    expect(amount().value).toBe('Rp 5.000');
  });
});

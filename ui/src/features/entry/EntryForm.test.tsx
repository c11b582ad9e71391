import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptySummary, mockApi, storedTx, type Call } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { EntryForm } from './EntryForm';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function api(onCreate?: (call: Call) => ReturnType<Parameters<typeof mockApi>[0][string]>) {
  return mockApi({
    'GET /categories': () => ({
      data: [
        { name: 'Bahan Baku', type: 'OUT', count: 3 },
        { name: 'Penjualan', type: 'IN', count: 1 },
      ],
    }),
    'GET /dashboard/summary': () => ({ data: emptySummary }),
    'POST /transactions':
      onCreate ?? ((call) => ({ status: 201, data: storedTx(call.body as Record<string, unknown>) })),
  });
}

const amount = () => screen.getByLabelText('Jumlah') as HTMLInputElement;
const category = () => screen.getByLabelText('Kategori') as HTMLInputElement;
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

/** Types Rp 5.000 for Gaji and saves with Enter, as a cashier does. */
async function saveGaji5000(user: ReturnType<typeof userEvent.setup>) {
  await user.click(amount());
  await user.keyboard('5000');
  await user.click(category());
  await user.keyboard('Gaji{Enter}');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('EntryForm', () => {
  it('switches Pengeluaran and Pemasukan with F2 without leaving the amount', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(amount()).toHaveFocus());
    const chosen = () =>
      within(screen.getByRole('radiogroup', { name: 'Jenis' })).getByRole('radio', { checked: true });
    expect(chosen()).toHaveTextContent('Pengeluaran');
    await user.keyboard('{F2}');
    expect(chosen()).toHaveTextContent('Pemasukan');
    expect(amount()).toHaveFocus();
    await user.keyboard('75000');
    await user.click(category());
    await user.keyboard('Penjualan{Enter}');
    await waitFor(() => expect(posts(calls)).toHaveLength(1));
    expect(posts(calls)[0]!.body).toMatchObject({ type: 'IN', amount: 75_000 });
    await user.click(amount());
    await user.keyboard('{F2}');
    expect(chosen()).toHaveTextContent('Pengeluaran');
  });

  it('limits category and description to what the server accepts', async () => {
    api();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(amount()).toHaveFocus());
    expect(category().maxLength).toBe(50);
    expect((screen.getByLabelText('Keterangan') as HTMLInputElement).maxLength).toBe(500);
  });

  it('shows typed digits as rupiah while typing', async () => {
    api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(amount()).toHaveFocus());
    await user.keyboard('2');
    expect(amount().value).toBe('Rp 2');
    await user.keyboard('0000');
    expect(amount().value).toBe('Rp 20.000');
    await user.keyboard('{Backspace}');
    expect(amount().value).toBe('Rp 2.000');
    await user.keyboard('abc');
    expect(amount().value).toBe('Rp 2.000abc');
    expect(screen.getByText('Hanya angka, misalnya 20.000')).toBeInTheDocument();
  });

  it.each([
    ['20,5', 'Hanya rupiah bulat, tanpa koma atau sen'],
    ['1e6', 'Hanya angka, misalnya 20.000'],
    ['-5', 'Jumlah tidak boleh negatif; untuk uang keluar pilih Pengeluaran'],
    ['12345678901234567890', 'Paling banyak Rp 1.000.000.000.000'],
  ])('refuses %j as typed or pasted, keeps it as it is and saves nothing', async (text, message) => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(amount()).toHaveFocus());
    await user.paste(text);
    expect(amount().value).toBe(text);
    await user.clear(amount());
    await user.type(amount(), text);
    // Typed key by key, the valid start was grouped as rupiah; every key typed is still there.
    expect(amount().value.replace(/^Rp /, '').replace(/\./g, '')).toBe(text);
    expect(screen.getByText(message)).toBeInTheDocument();
    await user.click(category());
    await user.keyboard('Operasional{Enter}');
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('says a zero amount must be more than 0, not that it is missing', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await waitFor(() => expect(amount()).toHaveFocus());
    await user.keyboard('0');
    await user.click(category());
    await user.keyboard('Operasional{Enter}');
    expect(await screen.findByText('Masukkan jumlah lebih dari 0')).toBeInTheDocument();
    expect(screen.queryByText('Wajib diisi')).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it.each(['20.000', '20000', 'Rp 20.000', 'Rp20.000,00'])('understands a pasted %j', async (text) => {
    api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.paste(text);
    expect(amount().value).toBe('Rp 20.000');
  });

  it('saves once when Enter is pressed twice, then resets with focus on the amount', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { calls } = api(async (call) => {
      await gate;
      return { status: 201, data: storedTx(call.body as Record<string, unknown>) };
    });
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.keyboard('20000');
    await user.click(category());
    await user.keyboard('Bahan Baku');
    await user.click(screen.getByLabelText('Keterangan'));
    await user.keyboard('beras 5 kg{Enter}{Enter}');
    await act(async () => release());

    expect(await screen.findByText('Berhasil')).toBeInTheDocument();
    expect(posts(calls)).toHaveLength(1);
    const body = posts(calls)[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'OUT', amount: 20000, category: 'Bahan Baku', description: 'beras 5 kg' });
    expect(body.id).toMatch(UUID_V4);
    expect(body).not.toHaveProperty('occurred_at'); // "now" is left to the server's clock
    await waitFor(() => expect(amount().value).toBe(''));
    expect(amount()).toHaveFocus();
    expect(category().value).toBe('');
  });

  it('a double click on Simpan saves once', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.keyboard('5000');
    await user.click(category());
    await user.keyboard('Gaji');
    await user.dblClick(screen.getByTestId('entry-submit'));
    expect(await screen.findByText('Berhasil')).toBeInTheDocument();
    expect(posts(calls)).toHaveLength(1);
    expect(screen.queryByTestId('entry-amount-error')).toBeNull();
  });

  it('shows the server field errors next to their fields', async () => {
    api(() => ({
      status: 400,
      message: 'Some fields are invalid',
      error: {
        code: 'validation_failed',
        details: [
          { field: 'category', issue: 'must not contain control characters' },
          { field: 'amount', issue: 'must be at most 1000000000000' },
        ],
      },
    }));
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await saveGaji5000(user);
    expect(await screen.findByTestId('entry-category-error')).toHaveTextContent('must not contain control characters');
    expect(screen.getByTestId('entry-amount-error')).toHaveTextContent('must be at most 1000000000000');
    expect(category()).toHaveAttribute('aria-invalid', 'true');
    expect(category()).toHaveAttribute('aria-describedby', 'entry-category-error');
    expect(amount().value).toBe('Rp 5.000'); // nothing was lost
    // Correcting the field clears its message.
    await user.type(category(), 'x');
    expect(screen.queryByTestId('entry-category-error')).toBeNull();
  });

  it('says in the cashier language that the PC clock is wrong, keeping what was typed', async () => {
    api(() => ({
      status: 400,
      message: 'Please fix the input',
      error: {
        code: 'validation_failed',
        details: [{ field: 'clock', issue: "this PC's clock says 01/06/1999 08:00 UTC; set the PC's date and time" }],
      },
    }));
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await saveGaji5000(user);
    const alert = await screen.findByTestId('entry-error');
    expect(alert).toHaveTextContent('Jam komputer ini salah');
    expect(alert).not.toHaveTextContent("PC's clock");
    expect(amount().value).toBe('Rp 5.000');
  });

  it('says a server rule in Indonesian when the server names it', async () => {
    api(() => ({
      status: 400,
      message: 'Please fix the input',
      error: {
        code: 'validation_failed',
        details: [
          { field: 'category', rule: 'max_length', limit: 50, issue: 'must be at most 50 characters (got 51)' },
          { field: 'amount', rule: 'range', min: 1, limit: 1000000000000, issue: 'must be from 1 to 1000000000000' },
        ],
      },
    }));
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await saveGaji5000(user);
    expect(await screen.findByTestId('entry-category-error')).toHaveTextContent('Paling banyak 50 karakter');
    expect(screen.getByTestId('entry-amount-error')).toHaveTextContent('Harus dari Rp 1 sampai Rp 1.000.000.000.000');
  });

  it('checks required fields before sending anything', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('entry-amount-error')).toHaveTextContent('Wajib diisi');
    expect(screen.getByTestId('entry-category-error')).toHaveTextContent('Wajib diisi');
    expect(posts(calls)).toHaveLength(0);
  });

  it('retries with the same id after the server could not be reached', async () => {
    let first = true;
    const { calls } = api((call) => {
      if (first) {
        first = false;
        return 'network';
      }
      return { status: 200, data: storedTx(call.body as Record<string, unknown>) };
    });
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.keyboard('7500');
    await user.click(category());
    await user.keyboard('Operasional{Enter}');
    expect(await screen.findByTestId('entry-error')).toHaveTextContent('Tidak dapat menghubungi server kas');
    await user.click(screen.getByTestId('entry-submit'));
    expect(await screen.findByText('Berhasil')).toBeInTheDocument();
    const ids = posts(calls).map((c) => (c.body as { id: string }).id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('picks a suggested category with the arrows and Enter without saving', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await screen.findByLabelText('Kategori');
    await user.click(category());
    await user.keyboard('bah');
    await waitFor(() => expect(screen.getByRole('option', { name: 'Bahan Baku' })).toBeInTheDocument());
    await user.keyboard('{ArrowDown}{Enter}');
    expect(category().value).toBe('Bahan Baku');
    expect(posts(calls)).toHaveLength(0);
  });

  it('sends a picked time as UTC, read as Jakarta time', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.keyboard('1000');
    await user.click(category());
    await user.keyboard('Gaji');
    await user.clear(screen.getByLabelText('Tanggal'));
    await user.type(screen.getByLabelText('Tanggal'), '08/12/2025');
    await user.clear(screen.getByLabelText('Jam'));
    await user.type(screen.getByLabelText('Jam'), '10:30');
    await user.click(screen.getByTestId('entry-submit'));
    await screen.findByText('Berhasil');
    expect(posts(calls)[0]!.body).toMatchObject({ occurred_at: '2025-12-08T03:30:00.000Z' });
  });

  it('writes the time as dd/mm/yyyy and 24-hour hh:mm with the zone, whatever the browser locale', async () => {
    api();
    renderWithApp(<EntryForm />);
    const date = (await screen.findByLabelText('Tanggal')) as HTMLInputElement;
    expect(date.value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect((screen.getByLabelText('Jam') as HTMLInputElement).value).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    expect(screen.getByTestId('entry-zone')).toHaveTextContent('WIB');
  });

  it('refuses a time it cannot read instead of saving another one', async () => {
    const { calls } = api();
    const user = userEvent.setup();
    renderWithApp(<EntryForm />);
    await user.click(amount());
    await user.keyboard('1000');
    await user.click(category());
    await user.keyboard('Gaji');
    await user.clear(screen.getByLabelText('Jam'));
    await user.type(screen.getByLabelText('Jam'), '25:99');
    await user.click(screen.getByTestId('entry-submit'));
    expect(await screen.findByTestId('entry-occurred-at-error')).toHaveTextContent('jam tidak dikenali');
    expect(posts(calls)).toHaveLength(0);
  });
});

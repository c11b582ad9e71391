import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { SummaryCards } from '@/features/dashboard/SummaryCards';
import { Pagination } from '@/components/Pagination';
import { I18nProvider, type Lang } from '@/i18n';
import { emptySummary } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { Balance, Money } from './Money';

const inLang = (lang: Lang, ui: React.ReactNode) => render(<I18nProvider lang={lang}>{ui}</I18nProvider>);

describe('figures a cashier reads', () => {
  it('groups counts and page numbers in the language of the app', () => {
    const pager = <Pagination page={1} pages={1001} total={20_007} onPage={() => {}} />;
    const { unmount } = inLang('id', pager);
    expect(screen.getByText('Halaman 1 dari 1.001')).toBeInTheDocument();
    expect(screen.getByTestId('total-count')).toHaveTextContent('20.007');
    unmount();
    inLang('en', pager);
    expect(screen.getByText('Page 1 of 1,001')).toBeInTheDocument();
    expect(screen.getByTestId('total-count')).toHaveTextContent('20,007 transactions');
  });

  it('groups the dashboard count', () => {
    const period = { ...emptySummary, transaction_count: 20_007, count_in: 12_000, count_out: 8_007 };
    renderWithApp(<SummaryCards balance={emptySummary} period={period} />);
    expect(screen.getByTestId('count')).toHaveTextContent('20.007');
    expect(screen.getByTestId('count')).toHaveTextContent('12.000 masuk · 8.007 keluar');
  });

  it('shows voided entries apart from the count, with their amount', () => {
    // A Rp 20.000 expense voided: the expense and its void are 2 rows, Rp 40.000, out of the count.
    const period = { ...emptySummary, transaction_count: 1, count_in: 1, voided_count: 2, voided_total: 40_000 };
    const { unmount } = renderWithApp(<SummaryCards balance={emptySummary} period={period} />);
    expect(screen.getByTestId('count-value')).toHaveTextContent(/^1$/);
    expect(screen.getByTestId('voided')).toHaveTextContent('2 dibatalkan, Rp 40.000');
    unmount();
    renderWithApp(<SummaryCards balance={emptySummary} period={{ ...period, voided_count: 0, voided_total: 0 }} />);
    expect(screen.queryByTestId('voided')).not.toBeInTheDocument();
  });

  it('shows a zero expense without a minus sign', () => {
    renderWithApp(<Money amount={0} type="OUT" />);
    expect(screen.getByText('Rp 0').textContent).toBe('Rp 0');
  });

  it('warns under a negative balance, with a real minus sign', () => {
    renderWithApp(<Balance amount={-5_000} />);
    expect(screen.getByText('−Rp 5.000')).toBeInTheDocument();
    expect(screen.getByTestId('negative-balance')).toHaveTextContent('Saldo minus');
  });

  it('shows a balance of zero or more without a warning', () => {
    renderWithApp(<Balance amount={0} />);
    expect(screen.getByText('Rp 0')).toBeInTheDocument();
    expect(screen.queryByTestId('negative-balance')).not.toBeInTheDocument();
  });
});

describe('error messages', () => {
  it('say an invalid input in the cashier language, from each field and rule', async () => {
    const { ApiError } = await import('@/api/client');
    const { useErrorText } = await import('./States');
    function Show({ error }: { error: unknown }) {
      return <p data-testid="msg">{useErrorText()(error)}</p>;
    }
    const invalid = new ApiError(400, 'validation_failed', 'Please fix the input', [
      { field: 'to', rule: 'order', issue: 'must be on or after `from`' },
      {
        field: 'amount',
        rule: 'range',
        min: 1,
        limit: 1_000_000_000_000,
        issue: 'must be a whole number of rupiah from 1 to 1000000000000',
      },
    ]);
    const { unmount } = renderWithApp(<Show error={invalid} />);
    const text = screen.getByTestId('msg').textContent ?? '';
    expect(text).toMatch(
      /^Isian tidak valid: Sampai tanggal: .+; Jumlah: Harus dari Rp 1 sampai Rp 1\.000\.000\.000\.000$/,
    );
    expect(text).not.toMatch(/Please|must/);
    unmount();
    renderWithApp(<Show error={new ApiError(503, 'unavailable', 'database is locked')} />);
    expect(screen.getByTestId('msg')).toHaveTextContent('Server sedang sibuk; coba lagi sebentar lagi');
    expect(screen.getByTestId('msg')).not.toHaveTextContent('locked');
  });
});

describe('paging through a long history', () => {
  it('goes to the first and last page, and to a page typed in', async () => {
    const { default: userEvent } = await import('@testing-library/user-event');
    const onPage = vi.fn();
    const user = userEvent.setup();
    renderWithApp(<Pagination page={3} pages={1001} total={20_007} onPage={onPage} />);
    await user.click(screen.getByRole('button', { name: 'Halaman terakhir' }));
    expect(onPage).toHaveBeenLastCalledWith(1001);
    await user.click(screen.getByRole('button', { name: 'Halaman pertama' }));
    expect(onPage).toHaveBeenLastCalledWith(1);
    await user.type(screen.getByLabelText('Ke halaman…'), '500{Enter}');
    expect(onPage).toHaveBeenLastCalledWith(500);
    await user.type(screen.getByLabelText('Ke halaman…'), '99999{Enter}');
    expect(onPage).toHaveBeenLastCalledWith(1001);
  });
});

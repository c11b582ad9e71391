import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '@/test/render';
import { DateInput, parseDayMonthYear } from './DateInput';
import { parseTime } from './TimeInput';

function Controlled({ initial, onChange }: { initial: string; onChange: (iso: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <DateInput
      label="Dari"
      value={value}
      onChange={(v) => {
        setValue(v);
        onChange(v);
      }}
    />
  );
}

describe('DateInput', () => {
  it('reads day first, as the app writes dates, and refuses days that do not exist', () => {
    expect(parseDayMonthYear('04/12/2026')).toBe('2026-12-04');
    expect(parseDayMonthYear('4-1-2026')).toBe('2026-01-04');
    expect(parseDayMonthYear('04122026')).toBe('2026-12-04');
    expect(parseDayMonthYear('12/31/2026')).toBeNull(); // mm/dd is not how dates are written here
    expect(parseDayMonthYear('29/02/2025')).toBeNull();
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime('2359')).toBe('23:59');
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('2:30 PM')).toBeNull();
  });

  it('shows a date as dd/mm/yyyy and takes a typed one, telling what it cannot read', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    renderWithApp(<Controlled initial="2026-12-04" onChange={onChange} />);
    const input = screen.getByLabelText('Dari') as HTMLInputElement;
    expect(input.value).toBe('04/12/2026');
    await user.clear(input);
    await user.type(input, '31/13/2026');
    expect(screen.getByRole('alert')).toHaveTextContent('Tanggal tidak dikenali');
    expect(onChange).not.toHaveBeenCalledWith(expect.stringMatching(/-13-/));
    await user.clear(input);
    await user.type(input, '1/11/2026');
    expect(onChange).toHaveBeenLastCalledWith('2026-11-01');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.keyboard('{ArrowUp}');
    expect(onChange).toHaveBeenLastCalledWith('2026-11-02');
    expect(input.value).toBe('02/11/2026');
  });

  it('picks a day from a calendar in the app language with the keyboard, Monday first', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    renderWithApp(<Controlled initial="2026-12-04" onChange={onChange} />);
    await user.click(screen.getByRole('button', { name: /Pilih dari kalender/ }));
    const calendar = screen.getByTestId('calendar');
    expect(within(calendar).getByText(/desember 2026/i)).toBeInTheDocument();
    expect(within(calendar).getAllByRole('columnheader')[0]).toHaveTextContent(/^Sen/);
    const selected = within(calendar).getByRole('gridcell', { selected: true });
    expect(selected).toHaveTextContent('4');
    expect(selected).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowDown}{Enter}');
    expect(onChange).toHaveBeenLastCalledWith('2026-12-12');
    expect(screen.queryByTestId('calendar')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Dari')).toHaveValue('12/12/2026');
    expect(screen.getByLabelText('Dari')).toHaveFocus();
  });
});

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './test/renderConsole';

const emptySummary = {
  data: {
    branches: [],
    total: { total_in: 0, total_out: 0, balance: 0, transaction_count: 0, voided_count: 0, voided_total: 0 },
  },
};

// jsdom applies no CSS: whether the menu shows is read from its `hidden` class (Tailwind's
// display: none below the xl breakpoint), which the browser test checks at real sizes.
const menuPanel = () => document.getElementById('console-menu')!;
const folded = () => menuPanel().classList.contains('hidden');

function render(path = '/') {
  return renderConsole(path, {
    'GET /reports/summary': () => emptySummary,
    'GET /branches': () => ({ data: [] }),
    'GET /users': () => ({ data: [] }),
  });
}

describe('the menu of a narrow screen', () => {
  it('is a button named Menu that says whether it is open and which part it opens', async () => {
    render();
    const menu = await screen.findByRole('button', { name: 'Menu' });
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveAttribute('aria-controls', 'console-menu');
    expect(within(menuPanel()).getByRole('navigation', { name: 'Menu utama' })).toBeInTheDocument();
    expect(within(menuPanel()).getByRole('button', { name: 'Keluar' })).toBeInTheDocument();
    expect(folded()).toBe(true);

    const user = userEvent.setup();
    await user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    expect(folded()).toBe(false);
    await user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'false');
  });

  it('opens from the keyboard and closes on Escape with the focus back on the button', async () => {
    render();
    const menu = await screen.findByRole('button', { name: 'Menu' });
    const user = userEvent.setup();
    menu.focus();
    await user.keyboard('{Enter}');
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    await user.tab();
    expect(screen.getByRole('link', { name: 'Ringkasan' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();
  });

  it('closes once a screen is chosen, which it opens', async () => {
    render();
    const menu = await screen.findByRole('button', { name: 'Menu' });
    const user = userEvent.setup();
    await user.click(menu);
    await user.click(screen.getByRole('link', { name: 'Cabang' }));
    await waitFor(() => expect(window.location.pathname).toBe('/cabang'));
    expect(screen.getByRole('link', { name: 'Cabang' })).toHaveAttribute('aria-current', 'page');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(folded()).toBe(true);
    expect(menu).toHaveFocus();
  });

  it('closes on a press outside the header', async () => {
    render();
    const menu = await screen.findByRole('button', { name: 'Menu' });
    await userEvent.setup().click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    fireEvent.pointerDown(screen.getByRole('main'));
    await waitFor(() => expect(menu).toHaveAttribute('aria-expanded', 'false'));
  });

  it('is named Menu in English too', async () => {
    render();
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByTestId('language'), 'en');
    expect(await screen.findByRole('button', { name: 'Menu' })).toHaveAttribute('aria-controls', 'console-menu');
    expect(screen.getByRole('navigation', { name: 'Main menu' })).toBeInTheDocument();
  });
});

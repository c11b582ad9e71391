import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockApi } from '@/test/mockApi';
import { renderWithApp } from '@/test/render';
import { DEFAULT_TIME_ZONE, businessDate, setBranchTimeZone } from '@/lib/time';
import { BranchZone } from './BranchZone';

function Today() {
  return <p data-testid="today">{businessDate(new Date('2025-12-08T15:30:00Z'))}</p>;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setBranchTimeZone(DEFAULT_TIME_ZONE, 'WIB');
});

describe('BranchZone', () => {
  it('renders the app in the zone the server announces', async () => {
    mockApi({
      'GET /system/settings': () => ({
        data: { timezone: 'Asia/Jayapura', zone_label: 'WIT', utc_offset_minutes: 540 },
      }),
    });
    renderWithApp(
      <BranchZone>
        <Today />
      </BranchZone>,
    );
    expect(await screen.findByTestId('today')).toHaveTextContent('2025-12-09');
  });

  it('falls back to the default zone while the server does not answer', async () => {
    mockApi({ 'GET /system/settings': () => 'network' });
    renderWithApp(
      <BranchZone>
        <Today />
      </BranchZone>,
    );
    expect(await screen.findByTestId('today')).toHaveTextContent('2025-12-08');
  });
});

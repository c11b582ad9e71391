import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearToasts } from '@/components/ui/use-toast';
import { DEFAULT_TIME_ZONE, setBranchTimeZone } from '@/lib/time';

afterEach(() => {
  cleanup();
  clearToasts();
  // Views keep their filters in the address: each test starts on a clean one.
  window.history.replaceState(null, '', '/');
  // The zone a test's server announced is module state: the next test starts in the default.
  setBranchTimeZone(DEFAULT_TIME_ZONE, 'WIB');
});

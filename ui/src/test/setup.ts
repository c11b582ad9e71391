import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearToasts } from '@/components/ui/use-toast';

afterEach(() => {
  cleanup();
  clearToasts();
  // Views keep their filters in the address: each test starts on a clean one.
  window.history.replaceState(null, '', '/');
});

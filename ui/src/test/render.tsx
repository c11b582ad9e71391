import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Toaster } from '@/components/ui/toaster';
import { I18nProvider } from '@/i18n';

export function testClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

function wrapper(client: QueryClient) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return (
      <QueryClientProvider client={client}>
        <I18nProvider lang="id">
          {children}
          <Toaster closeLabel="Tutup" />
        </I18nProvider>
      </QueryClientProvider>
    );
  };
}

/** Renders with a fresh query client, Indonesian messages and the toaster. */
export function renderWithApp(ui: ReactNode, client = testClient()) {
  return { client, ...render(ui, { wrapper: wrapper(client) }) };
}

export function renderHookWithApp<T>(hook: () => T, client = testClient()) {
  return { client, ...renderHook(hook, { wrapper: wrapper(client) }) };
}

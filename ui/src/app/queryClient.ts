import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/client';

/** Queries retry twice unless the server answered a client error (4xx) that will not change. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        retryDelay: 800,
      },
      mutations: { retry: false },
    },
  });
}

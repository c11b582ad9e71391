import { clearSession, sessionToken } from '@/lib/session';
import type { FieldIssue } from './types';

/** Where the API lives: the same origin that served the app (kh-local, or Vite's proxy). */
export const API_BASE = '/api/v1';

/** A failed API call: the server's error envelope, or `network` when nothing answered. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];
  /** Seconds to wait before trying again (a 429's `Retry-After`), when the server said. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details: FieldIssue[] = [],
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** True when the server could not be reached at all (it is not running, or the PC is off). */
  get isNetwork(): boolean {
    return this.code === 'network';
  }

  /** The issue the server reported for one field, if any (its English words). */
  fieldIssue(field: string): string | undefined {
    return this.fieldDetail(field)?.issue;
  }

  /** The detail the server reported for one field, with its rule, if any. */
  fieldDetail(field: string): FieldIssue | undefined {
    return this.details.find((d) => d.field === field);
  }
}

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

interface Envelope<T> {
  success: boolean;
  message?: string;
  data: T;
  error?: { code: string; details?: FieldIssue[] };
}

/** What one app adds to every call: headers (the console's CSRF token on changes) and a look at
 * every failure before the caller sees it (the console's "session ended" on a 401). */
export interface ApiOptions {
  headers?: (method: string) => Record<string, string>;
  onError?: (error: ApiError, method: string, path: string) => void;
}

function retryAfterSeconds(res: Response): number | null {
  const value = res.headers.get('Retry-After');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

async function request<T>(
  options: ApiOptions,
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers?.(method) };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    res = await fetch(url(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  let envelope: Envelope<T> | null = null;
  try {
    envelope = (await res.json()) as Envelope<T>;
  } catch {
    envelope = null;
  }
  if (!res.ok || !envelope || envelope.success === false) {
    const code = envelope?.error?.code ?? (res.status >= 500 ? 'unavailable' : 'http_' + res.status);
    const error = new ApiError(
      res.status,
      code,
      envelope?.message ?? res.statusText,
      envelope?.error?.details ?? [],
      retryAfterSeconds(res),
    );
    options.onError?.(error, method, path);
    throw error;
  }
  return envelope.data;
}

/** The HTTP verbs over one app's options; components never call these directly (hooks do). */
export function createApi(options: ApiOptions = {}) {
  return {
    get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(options, 'GET', path, { query, signal }),
    post: <T>(path: string, body?: unknown) => request<T>(options, 'POST', path, { body }),
    patch: <T>(path: string, body: unknown) => request<T>(options, 'PATCH', path, { body }),
    put: <T>(path: string, body: unknown) => request<T>(options, 'PUT', path, { body }),
    del: <T>(path: string) => request<T>(options, 'DELETE', path),
  };
}

/** The cashier app's API (kh-local, same origin): the lock screen's session goes along, and a
 * 401 on a change means the session ended (idle, locked elsewhere, member deactivated at HQ),
 * so the app locks. */
export const api = createApi({
  headers: (): Record<string, string> => {
    const token = sessionToken();
    return token ? { 'X-KH-Session': token } : {};
  },
  onError: (error, method, path) => {
    // A wrong PIN (the sign-in's own 401) is not a lost session.
    if (error.status === 401 && !(method === 'POST' && path === '/session')) clearSession();
  },
});

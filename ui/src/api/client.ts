import { fileNameOf } from '@/lib/files';
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

/** A query string's parameters; empty, `null` and `undefined` ones are left out. */
export type ApiQuery = Record<string, string | number | undefined | null>;
type Query = ApiQuery;

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
  const envelope = await readEnvelope<T>(res);
  if (!res.ok || !envelope || envelope.success === false) throw failure(options, method, path, res, envelope);
  return envelope.data;
}

async function readEnvelope<T>(res: Response): Promise<Envelope<T> | null> {
  try {
    return (await res.json()) as Envelope<T>;
  } catch {
    return null;
  }
}

/** The error of a failed answer (its envelope, or the status alone), shown to the app first. */
function failure(
  options: ApiOptions,
  method: string,
  path: string,
  res: Response,
  envelope: Envelope<unknown> | null,
): ApiError {
  const code = envelope?.error?.code ?? (res.status >= 500 ? 'unavailable' : 'http_' + res.status);
  const error = new ApiError(
    res.status,
    code,
    envelope?.message ?? res.statusText,
    envelope?.error?.details ?? [],
    retryAfterSeconds(res),
  );
  options.onError?.(error, method, path);
  return error;
}

/** A file the server sent, and the name it gave it (`null` when it gave none). */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

/**
 * `GET` of a file the server streams (an export, with no length known up front), read to the
 * end with the bytes so far reported as they come. An error envelope (sent before any byte of
 * the file) is an `ApiError` as for any call; a connection lost after the file began is an
 * `ApiError` coded `interrupted`, and nothing of the file is kept. Aborting stops the download
 * and throws the `AbortError`.
 */
async function download(
  options: ApiOptions,
  path: string,
  opts: { query?: Query; signal?: AbortSignal; onProgress?: (bytes: number) => void } = {},
): Promise<DownloadedFile> {
  const method = 'GET';
  let res: Response;
  try {
    res = await fetch(url(path, opts.query), {
      method,
      headers: { Accept: 'text/csv, application/json', ...options.headers?.(method) },
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (opts.signal?.aborted) {
    void res.body?.cancel().catch(() => {});
    opts.signal.throwIfAborted();
  }
  if (!res.ok) throw failure(options, method, path, res, await readEnvelope(res));

  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  if (res.body) {
    const reader = res.body.getReader();
    // A fetch that is already answering may not notice the abort by itself: stop the reading.
    const stop = () => void reader.cancel().catch(() => {});
    opts.signal?.addEventListener('abort', stop);
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
        try {
          chunk = await reader.read();
        } catch (e) {
          opts.signal?.throwIfAborted();
          const error = new ApiError(0, 'interrupted', e instanceof Error ? e.message : String(e));
          options.onError?.(error, method, path);
          throw error;
        }
        opts.signal?.throwIfAborted();
        if (chunk.done) break;
        chunks.push(chunk.value);
        bytes += chunk.value.byteLength;
        opts.onProgress?.(bytes);
      }
    } finally {
      opts.signal?.removeEventListener('abort', stop);
    }
  }
  return {
    blob: new Blob(chunks, { type: res.headers.get('Content-Type') ?? 'application/octet-stream' }),
    fileName: fileNameOf(res.headers.get('Content-Disposition')),
  };
}

/** The HTTP verbs over one app's options; components never call these directly (hooks do). */
export function createApi(options: ApiOptions = {}) {
  return {
    get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(options, 'GET', path, { query, signal }),
    post: <T>(path: string, body?: unknown) => request<T>(options, 'POST', path, { body }),
    patch: <T>(path: string, body: unknown) => request<T>(options, 'PATCH', path, { body }),
    put: <T>(path: string, body: unknown) => request<T>(options, 'PUT', path, { body }),
    del: <T>(path: string) => request<T>(options, 'DELETE', path),
    download: (path: string, query: Query, opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}) =>
      download(options, path, { query, ...opts }),
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

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiQuery, DownloadedFile } from '@/api/client';
import { saveFile } from '@/lib/files';

/** Nothing going on, a file coming in (its bytes so far), or the last try's error. */
export type ExportState =
  { status: 'idle' } | { status: 'running'; bytes: number } | { status: 'failed'; error: unknown };

/** A finished export: the name it was saved under and its size. */
export interface ExportedFile {
  fileName: string;
  bytes: number;
}

/** The part of an API client a download needs (the cashier app's `api`, the console's `hq`). */
export interface Downloader {
  download: (
    path: string,
    query: ApiQuery,
    opts?: { signal?: AbortSignal; onProgress?: (bytes: number) => void },
  ) => Promise<DownloadedFile>;
}

/** How often the bytes so far are shown: a large file comes in thousands of pieces. */
const PROGRESS_EVERY_MS = 200;

/**
 * A file from the server (an export: a GET answering a file), read through `client` with the
 * bytes so far shown, then handed to the browser's downloads under the server's name for it
 * (`fallbackName` when it gives none). `cancel` stops it (nothing is saved), as does leaving
 * the screen or starting another; an error keeps nothing either. Both apps' exports use it.
 */
export function useDownload(client: Downloader) {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(
    async (path: string, query: ApiQuery, fallbackName: string): Promise<ExportedFile | null> => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setState({ status: 'running', bytes: 0 });
      let shownAt = 0;
      try {
        const file = await client.download(path, query, {
          signal: controller.signal,
          onProgress: (bytes) => {
            const now = Date.now();
            if (now - shownAt < PROGRESS_EVERY_MS) return;
            shownAt = now;
            setState({ status: 'running', bytes });
          },
        });
        const fileName = file.fileName ?? fallbackName;
        saveFile(file.blob, fileName);
        setState({ status: 'idle' });
        return { fileName, bytes: file.blob.size };
      } catch (error) {
        // Cancelled (or the screen left, or another export started): nothing to say.
        if (controller.signal.aborted) {
          if (running.current === controller) setState({ status: 'idle' });
          return null;
        }
        setState({ status: 'failed', error });
        return null;
      } finally {
        if (running.current === controller) running.current = null;
      }
    },
    [client],
  );

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState((s) => (s.status === 'failed' ? { status: 'idle' } : s)), []);

  return { state, start, cancel, dismiss };
}

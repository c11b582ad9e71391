import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiQuery } from '@/api/client';
import { saveFile } from '@/lib/files';

/** Nothing going on, a file coming in (its bytes so far), or the last try's error. */
export type ExportState =
  { status: 'idle' } | { status: 'running'; bytes: number } | { status: 'failed'; error: unknown };

/** A finished export: the name it was saved under and its size. */
export interface ExportedFile {
  fileName: string;
  bytes: number;
}

/** How often the bytes so far are shown: a large file comes in thousands of pieces. */
const PROGRESS_EVERY_MS = 200;

/** The name a file is saved under when the server gives none: `fallbackName` with the
 * extension of the format asked for (`riwayat.csv`, `harian.pdf`). */
export function fallbackFileName(fallbackName: string, query: ApiQuery): string {
  const format = typeof query.format === 'string' && query.format ? query.format : 'csv';
  return `${fallbackName}.${format}`;
}

/**
 * `GET <path>` of an export (any of kh-local's `…/export` endpoints): the file read with the
 * bytes so far shown, then handed to the browser's downloads under the server's name for it
 * (or `fallbackName` and the format's extension when it gives none). `cancel` stops it
 * (nothing is saved), as does leaving the screen; an error keeps nothing either.
 */
export function useFileExport(path: string, fallbackName: string) {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(
    async (query: ApiQuery): Promise<ExportedFile | null> => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setState({ status: 'running', bytes: 0 });
      let shownAt = 0;
      try {
        const file = await api.download(path, query, {
          signal: controller.signal,
          onProgress: (bytes) => {
            const now = Date.now();
            if (now - shownAt < PROGRESS_EVERY_MS) return;
            shownAt = now;
            setState({ status: 'running', bytes });
          },
        });
        const fileName = file.fileName ?? fallbackFileName(fallbackName, query);
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
    [path, fallbackName],
  );

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState((s) => (s.status === 'failed' ? { status: 'idle' } : s)), []);

  return { state, start, cancel, dismiss };
}

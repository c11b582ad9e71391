import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/api/client';
import type { TransactionExportQuery } from '@/api/types';
import { saveFile } from '@/lib/files';

/** The name of the file when the server gives none. */
export const EXPORT_FALLBACK_NAME = 'riwayat.csv';

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

/**
 * `GET /transactions/export`: every entry the filters match as a file, read with the bytes so
 * far shown, then handed to the browser's downloads under the server's name for it. `cancel`
 * stops it (nothing is saved), as does leaving the screen; an error keeps nothing either.
 */
export function useTransactionExport() {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(async (query: TransactionExportQuery): Promise<ExportedFile | null> => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState({ status: 'running', bytes: 0 });
    let shownAt = 0;
    try {
      const file = await api.download(
        '/transactions/export',
        { ...query },
        {
          signal: controller.signal,
          onProgress: (bytes) => {
            const now = Date.now();
            if (now - shownAt < PROGRESS_EVERY_MS) return;
            shownAt = now;
            setState({ status: 'running', bytes });
          },
        },
      );
      const fileName = file.fileName ?? EXPORT_FALLBACK_NAME;
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
  }, []);

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState((s) => (s.status === 'failed' ? { status: 'idle' } : s)), []);

  return { state, start, cancel, dismiss };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { saveFile } from '@/lib/files';
import { hq } from '../api/hq';
import type { ExportQuery } from '../lib/exports';

/** One file to ask HQ for: its address, its query, and the name to save it under when the
 * server names none. */
export interface ExportRequest {
  path: string;
  query: ExportQuery;
  fallbackName: string;
}

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
 * An HQ export (a GET answering a file): read with the bytes so far shown, then handed to the
 * browser's downloads under the server's name for it. The session cookie goes along as on every
 * console call, and a 401 ends the session as they do. `cancel` stops it (nothing is saved), as
 * does leaving the screen; an error keeps nothing either.
 */
export function useHqExport() {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(async (request: ExportRequest): Promise<ExportedFile | null> => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState({ status: 'running', bytes: 0 });
    let shownAt = 0;
    try {
      const file = await hq.download(request.path, request.query, {
        signal: controller.signal,
        onProgress: (bytes) => {
          const now = Date.now();
          if (now - shownAt < PROGRESS_EVERY_MS) return;
          shownAt = now;
          setState({ status: 'running', bytes });
        },
      });
      const fileName = file.fileName ?? request.fallbackName;
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

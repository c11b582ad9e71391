import { useCallback } from 'react';
import { useDownload, type ExportedFile } from '@/hooks/useDownload';
import { hq } from '../api/hq';
import type { ExportQuery } from '../lib/exports';

export type { ExportState, ExportedFile } from '@/hooks/useDownload';

/** One file to ask HQ for: its address, its query, and the name to save it under when the
 * server names none. */
export interface ExportRequest {
  path: string;
  query: ExportQuery;
  fallbackName: string;
}

/**
 * An HQ export (a GET answering a file), as `useDownload` reads it. The session cookie goes
 * along as on every console call, and a 401 ends the session as they do.
 */
export function useHqExport() {
  const { state, start: download, cancel, dismiss } = useDownload(hq);
  const start = useCallback(
    (request: ExportRequest): Promise<ExportedFile | null> =>
      download(request.path, request.query, request.fallbackName),
    [download],
  );
  return { state, start, cancel, dismiss };
}

import { useCallback } from 'react';
import { api, type ApiQuery } from '@/api/client';
import { useDownload, type ExportedFile } from './useDownload';

export type { ExportState, ExportedFile } from './useDownload';

/** The name a file is saved under when the server gives none: `fallbackName` with the
 * extension of the format asked for (`riwayat.csv`, `harian.pdf`). */
export function fallbackFileName(fallbackName: string, query: ApiQuery): string {
  const format = typeof query.format === 'string' && query.format ? query.format : 'csv';
  return `${fallbackName}.${format}`;
}

/**
 * `GET <path>` of an export (any of kh-local's `…/export` endpoints), as `useDownload` reads
 * it; saved under the server's name for it, or `fallbackName` and the format's extension.
 */
export function useFileExport(path: string, fallbackName: string) {
  const { state, start: download, cancel, dismiss } = useDownload(api);
  const start = useCallback(
    (query: ApiQuery): Promise<ExportedFile | null> => download(path, query, fallbackFileName(fallbackName, query)),
    [download, path, fallbackName],
  );
  return { state, start, cancel, dismiss };
}

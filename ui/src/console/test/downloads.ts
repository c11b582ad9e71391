// The console's tests catch downloads as the cashier app's do (`@/test/downloads`); only its
// file reply differs: HQ names every file and says its type.
import { vi } from 'vitest';
import { restoreDownloads, stubDownloads } from '@/test/downloads';

export { slowFile, type Saved } from '@/test/downloads';

/** From here on a click on a link with `download` is noted (in the array returned) with the
 * file behind the link instead. Undo with `releaseDownloads` after the test. */
export const catchDownloads = stubDownloads;

/** Undoes `catchDownloads` and the test's other mocks and stubbed globals. */
export function releaseDownloads() {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  restoreDownloads();
}

/** A file's reply: its body under a name, as HQ sends an export. */
export const fileReply = (name: string, body: BodyInit, type = 'application/octet-stream') => ({
  body,
  headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${name}"` },
});

import { vi } from 'vitest';

/** A file the browser was given to download: its name and its bytes. */
export interface Saved {
  name: string;
  blob: Blob;
}

/**
 * jsdom has no object URLs and cannot download: from here on a click on a link with `download`
 * is noted (in the array returned) with the file behind the link instead. Undo with
 * `releaseDownloads` after the test.
 */
export function catchDownloads(): Saved[] {
  const blobs = new Map<string, Blob>();
  const saved: Saved[] = [];
  Object.defineProperty(URL, 'createObjectURL', {
    configurable: true,
    value: vi.fn((blob: Blob) => {
      const href = `blob:http://127.0.0.1/${blobs.size + 1}`;
      blobs.set(href, blob);
      return href;
    }),
  });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: vi.fn() });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.getAttribute('href') ?? '');
    if (this.download && blob) saved.push({ name: this.download, blob });
  });
  return saved;
}

export function releaseDownloads() {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(URL, 'createObjectURL');
  Reflect.deleteProperty(URL, 'revokeObjectURL');
}

/** A file's reply: its body under a name, as HQ sends an export. */
export const fileReply = (name: string, body: BodyInit, type = 'application/octet-stream') => ({
  body,
  headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${name}"` },
});

/** A file body that sends `first` and then waits: `finish()` sends the rest and ends it,
 * `fail()` breaks it as a lost connection would; `state.cancelled` tells whether the reader
 * stopped. */
export function slowFile(first: Uint8Array) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(first);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return {
    body,
    state,
    finish: (rest: string) => {
      controller.enqueue(new TextEncoder().encode(rest));
      controller.close();
    },
    fail: () => controller.error(new TypeError('network error')),
  };
}

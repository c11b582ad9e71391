import { vi } from 'vitest';

/** What the browser was given to download: a file's name and its bytes. */
export interface Saved {
  name: string;
  blob: Blob;
}

/**
 * jsdom has no object URLs and cannot download: a click on a link with `download` is noted
 * with the file behind the link instead. Call in `beforeEach`; `restoreDownloads` in
 * `afterEach`. The returned list fills as files are saved.
 */
export function stubDownloads(): Saved[] {
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

export function restoreDownloads() {
  Reflect.deleteProperty(URL, 'createObjectURL');
  Reflect.deleteProperty(URL, 'revokeObjectURL');
}

export function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

/** A file body that sends `first` and then waits: `finish()` sends the rest and ends it,
 * `fail()` breaks it as a lost connection would; `cancelled` tells whether the reader stopped. */
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

/** A `mockApi` reply that is a file: its body, named by `Content-Disposition` when `name` is
 * given (a server that names no file when it is null). */
export function fileReply(name: string | null, body: BodyInit = 'x') {
  const headers: Record<string, string> = {};
  if (name) headers['Content-Disposition'] = `attachment; filename="${name}"`;
  return { body, headers };
}

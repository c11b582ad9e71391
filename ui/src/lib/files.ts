/** A size as the PC's file manager shows it (1 KB = 1.024 bytes, a part of one counted whole):
 * `1 KB`, `850 KB`, `1,2 MB` in Indonesian and `1.2 MB` in English, `1.024,0 MB` past a thousand. */
export function formatBytes(bytes: number, locale: string): string {
  const kb = bytes / 1024;
  if (kb < 1024) return `${new Intl.NumberFormat(locale).format(Math.ceil(kb))} KB`;
  const mb = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${mb.format(kb / 1024)} MB`;
}

/** The file name a `Content-Disposition` gives (`filename*=UTF-8''…` first, then `filename`),
 * without any folder in it; `null` when it gives none. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*utf-8'[^']*'([^;\s]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      name = decodeURIComponent(extended[1]);
    } catch {
      name = undefined;
    }
  }
  if (name === undefined) {
    const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(disposition);
    const bare = /(?:^|;)\s*filename\s*=\s*([^;"\s]+)/i.exec(disposition);
    name = quoted?.[1]?.replace(/\\(.)/g, '$1') ?? bare?.[1];
  }
  const base = name
    ?.split(/[/\\]/)
    .pop()
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base && base !== '.' && base !== '..' ? base : null;
}

/** Hands a file to the browser's downloads under `name`, as a link with `download` would. */
export function saveFile(blob: Blob, name: string) {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; the address can go a little later.
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

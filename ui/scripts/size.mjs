// The JavaScript a first visit downloads before anything lazy, per app: the entry script of
// dist/index.html (the cashier) or dist/console.html (the HQ console) and the chunks it
// preloads, gzip-compressed (what travels over the wire).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
export const LIMIT_KB = 200;
/** The pages the build emits, each an app with its own budget. */
export const PAGES = ['index.html', 'console.html'];

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

function refsOf(html) {
  const text = readFileSync(join(dist, html), 'utf8');
  return [...text.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
}

/** Gzipped sizes of one page's initial JS and CSS, and of the lazy chunks (those no page loads
 * up front). */
export function initialBundle(html = 'index.html') {
  const refs = refsOf(html);
  const js = refs.filter((f) => f.endsWith('.js'));
  const css = refs.filter((f) => f.endsWith('.css'));
  const upFront = new Set(PAGES.filter((p) => existsSync(join(dist, p))).flatMap(refsOf));
  const lazy = readdirSync(join(dist, 'assets'))
    .map((f) => `assets/${f}`)
    .filter((f) => f.endsWith('.js') && !upFront.has(f));
  const sum = (files) => files.reduce((n, f) => n + gz(f), 0);
  return { js, css, lazy, jsGzip: sum(js), cssGzip: sum(css), lazyGzip: sum(lazy) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const kb = (n) => (n / 1024).toFixed(1);
  let over = false;
  for (const page of PAGES) {
    if (!existsSync(join(dist, page))) {
      console.error(`${page} is missing: run npm run build`);
      over = true;
      continue;
    }
    const b = initialBundle(page);
    console.log(`${page}`);
    console.log(`  initial JS  ${kb(b.jsGzip)} kB gzip (${b.js.join(', ')})`);
    console.log(`  initial CSS ${kb(b.cssGzip)} kB gzip`);
    if (b.jsGzip / 1024 >= LIMIT_KB) {
      console.error(`  initial JS of ${page} is over the ${LIMIT_KB} kB budget`);
      over = true;
    }
  }
  const lazy = initialBundle(PAGES[0]);
  console.log(`lazy JS     ${kb(lazy.lazyGzip)} kB gzip (${lazy.lazy.join(', ')})`);
  if (over) process.exit(1);
}

// The JavaScript a first visit downloads before anything lazy: the entry script of
// dist/index.html and the chunks it preloads, gzip-compressed (what travels over the wire).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
export const LIMIT_KB = 200;

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

/** Gzipped sizes of the initial JS and CSS and of the lazy chunks. */
export function initialBundle() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const js = refs.filter((f) => f.endsWith('.js'));
  const css = refs.filter((f) => f.endsWith('.css'));
  const lazy = readdirSync(join(dist, 'assets'))
    .map((f) => `assets/${f}`)
    .filter((f) => f.endsWith('.js') && !js.includes(f));
  const sum = (files) => files.reduce((n, f) => n + gz(f), 0);
  return { js, css, lazy, jsGzip: sum(js), cssGzip: sum(css), lazyGzip: sum(lazy) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const b = initialBundle();
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(`initial JS  ${kb(b.jsGzip)} kB gzip (${b.js.join(', ')})`);
  console.log(`initial CSS ${kb(b.cssGzip)} kB gzip`);
  console.log(`lazy JS     ${kb(b.lazyGzip)} kB gzip (${b.lazy.join(', ')})`);
  if (b.jsGzip / 1024 >= LIMIT_KB) {
    console.error(`initial JS is over the ${LIMIT_KB} kB budget`);
    process.exit(1);
  }
}

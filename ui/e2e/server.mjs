// Starts a real kh-local for the browser tests: a fresh data directory, a free loopback port,
// and the UI built into ui/dist. Stops it (and removes the data) when asked.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const uiDir = resolve(here, '..');
export const repoDir = resolve(uiDir, '..');

/** A server binary: $KH_LOCAL_BIN / $KH_CLOUD_BIN, else built by cargo into $CARGO_TARGET_DIR
 * (or ./target) unless KH_E2E_SKIP_CARGO=1. */
function binary(name, envName) {
  if (process.env[envName]) return process.env[envName];
  const target = process.env.CARGO_TARGET_DIR
    ? resolve(repoDir, process.env.CARGO_TARGET_DIR)
    : join(repoDir, 'target');
  if (process.env.KH_E2E_SKIP_CARGO !== '1') {
    console.log(`# cargo build -p ${name}`);
    const r = spawnSync('cargo', ['build', '--quiet', '-p', name], {
      cwd: repoDir,
      stdio: 'inherit',
      env: { ...process.env, CARGO_TARGET_DIR: target },
    });
    if (r.status !== 0) throw new Error(`cargo build -p ${name} failed`);
  }
  const bin = join(target, 'debug', process.platform === 'win32' ? `${name}.exe` : name);
  if (!existsSync(bin)) throw new Error(`${name} not found at ${bin}`);
  return bin;
}

/** The kh-local binary. */
export function khLocalBinary() {
  return binary('kh-local', 'KH_LOCAL_BIN');
}

/** The kh-cloud binary. */
export function khCloudBinary() {
  return binary('kh-cloud', 'KH_CLOUD_BIN');
}

/** A fresh PostgreSQL database for one run (dropped by `make postgres` on the next). */
export function createTestDatabase() {
  const admin = process.env.KH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `kh_test_e2e_${process.pid}_${Date.now()}`;
  const r = spawnSync('psql', [admin, '-qc', `create database ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PostgreSQL is needed at ${admin}: ${r.stderr || r.error}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts kh-local (with `env` added to its settings); resolves once /api/v1/health answers. */
export async function startServer({ logFile, env = {}, dataDir }) {
  return startProcess({ bin: khLocalBinary(), args: [], logFile, env, dataDir, name: 'kh-local' });
}

/** Starts `kh-cloud serve` on `databaseUrl`; resolves once /api/v1/health answers. */
export async function startCloud({ logFile, databaseUrl, env = {} }) {
  return startProcess({
    bin: khCloudBinary(),
    args: ['serve'],
    logFile,
    env: { KH_DATABASE_URL: databaseUrl, ...env },
    name: 'kh-cloud',
  });
}

/** The built UI the servers' pages come from, when not the one the binary reads itself:
 * $KH_E2E_UI_DIST (a `dist` folder; relative to ui/). A debug kh-local or kh-cloud reads the
 * ui/dist of the checkout it was compiled in, so a binary built elsewhere (another worktree)
 * would show that checkout's UI; with this set, the tests put a small front before each server
 * that serves this build the way the server does and passes /api on to it. */
function uiDistOverride() {
  const dir = process.env.KH_E2E_UI_DIST;
  if (!dir) return null;
  const dist = resolve(uiDir, dir);
  if (!existsSync(join(dist, 'index.html')) || !existsSync(join(dist, 'console.html')))
    throw new Error(`KH_E2E_UI_DIST=${dir}: no built UI in ${dist} (npm run build)`);
  return dist;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Serves `dist` like crates/http-common/src/web.rs (the app's `page` at `/` and its routes,
 * the other app's page hidden, a missing file 404) and passes /api to `target`, without the
 * browser's Origin and with the server's own Host (as the Vite dev proxy does). */
function startUiFront({ dist, target, page, hidden }) {
  const upstream = new URL(target);
  const send = (res, status, type, file, cache = 'no-cache') => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': cache });
    if (file) createReadStream(file).pipe(res);
    else res.end('not found\n');
  };
  const server = createHttpServer((req, res) => {
    const path = new URL(req.url, 'http://front').pathname;
    if (path === '/api' || path.startsWith('/api/')) {
      const headers = { ...req.headers, host: upstream.host };
      delete headers.origin;
      delete headers.referer;
      const up = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', (e) => {
        res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end(`front: ${e.message}\n`);
      });
      req.pipe(up);
      return;
    }
    const name = decodeURIComponent(path).replace(/^\/+/, '');
    const file = resolve(dist, name);
    if (name === hidden || (file !== dist && !file.startsWith(dist + sep))) {
      return send(res, 404, 'text/plain; charset=utf-8');
    }
    if (name !== page && existsSync(file) && statSync(file).isFile()) {
      const cache = name.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', file, cache);
    }
    if (name.startsWith('assets/') || name.split('/').pop().includes('.')) {
      return send(res, 404, 'text/plain; charset=utf-8');
    }
    return send(res, 200, TYPES['.html'], join(dist, page));
  });
  return new Promise((ok, fail) => {
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const base = `http://127.0.0.1:${server.address().port}`;
      const close = () =>
        new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      ok({ base, close });
    });
  });
}

async function startProcess({ bin, args, logFile, env, dataDir: given, name }) {
  const dataDir = given ?? mkdtempSync(join(tmpdir(), 'kh-e2e-'));
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(bin, args, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KH_DATA_DIR: dataDir,
      KH_HTTP_ADDR: `127.0.0.1:${port}`,
      KH_LOG: 'info',
      KH_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.on('error', (error) => {
    exited = { error: error.message };
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within 30 s; see ${logFile}`);
    }
    await sleep(100);
  }
  const dist = uiDistOverride();
  const front = dist
    ? await startUiFront({
        dist,
        target: base,
        page: name === 'kh-cloud' ? 'console.html' : 'index.html',
        hidden: name === 'kh-cloud' ? 'index.html' : 'console.html',
      })
    : null;
  return {
    /** Where the browser and the API calls go: the server, or the front before it. */
    base: front?.base ?? base,
    port,
    pid: child.pid,
    dataDir,
    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its data. */
    async stop({ keepData = false } = {}) {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 50 && !exited; i += 1) await sleep(100);
        if (!exited) child.kill('SIGKILL');
        for (let i = 0; i < 20 && !exited; i += 1) await sleep(100);
      }
      await front?.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the API like the page does (same origin: no Origin header from node). */
export function apiClient(base) {
  const call = async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}

// Starts a real kh-local for the browser tests: a fresh data directory, a free loopback port,
// and the UI built into ui/dist. Stops it (and removes the data) when asked.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const uiDir = resolve(here, '..');
export const repoDir = resolve(uiDir, '..');

/** The kh-local binary: $KH_LOCAL_BIN, else built by cargo into $CARGO_TARGET_DIR (or ./target). */
export function khLocalBinary() {
  if (process.env.KH_LOCAL_BIN) return process.env.KH_LOCAL_BIN;
  const target = process.env.CARGO_TARGET_DIR
    ? resolve(repoDir, process.env.CARGO_TARGET_DIR)
    : join(repoDir, 'target');
  if (process.env.KH_E2E_SKIP_CARGO !== '1') {
    console.log('# cargo build -p kh-local');
    const r = spawnSync('cargo', ['build', '--quiet', '-p', 'kh-local'], {
      cwd: repoDir,
      stdio: 'inherit',
      env: { ...process.env, CARGO_TARGET_DIR: target },
    });
    if (r.status !== 0) throw new Error('cargo build -p kh-local failed');
  }
  const bin = join(target, 'debug', process.platform === 'win32' ? 'kh-local.exe' : 'kh-local');
  if (!existsSync(bin)) throw new Error(`kh-local not found at ${bin}`);
  return bin;
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
export async function startServer({ logFile, env = {} }) {
  const bin = khLocalBinary();
  const dataDir = mkdtempSync(join(tmpdir(), 'kh-e2e-'));
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(bin, [], {
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
    if (exited) throw new Error(`kh-local exited during start (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kh-local did not answer within 30 s; see ${logFile}`);
    }
    await sleep(100);
  }
  return {
    base,
    port,
    pid: child.pid,
    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its data. */
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 50 && !exited; i += 1) await sleep(100);
        if (!exited) child.kill('SIGKILL');
        for (let i = 0; i < 20 && !exited; i += 1) await sleep(100);
      }
      rmSync(dataDir, { recursive: true, force: true });
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

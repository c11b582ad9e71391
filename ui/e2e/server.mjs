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
  return {
    base,
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

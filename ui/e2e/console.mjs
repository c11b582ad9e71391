// Browser tests of the HQ console (DESIGN 12): Debian's Chromium (playwright-core) against a
// real kh-cloud on PostgreSQL, with branches pushing through real kh-local processes.
// Prints one line per test and "N passed, N failed"; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { apiClient, createTestDatabase, khCloudBinary, startCloud, startServer, uiDir } from './server.mjs';

const OUT = join(uiDir, 'test-results');
mkdirSync(OUT, { recursive: true });
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ADMIN = 'e2e-admin-token-0123456789';
const OWNER = { email: 'pemilik@haramain.id', password: 'sandi-pemilik-panjang' };

const rp = (n) => `${n < 0 ? '−' : ''}Rp ${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function eventually(fn, message, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${message}${last ? ` (${last.message})` : ''}`);
    await sleep(200);
  }
}

/** The admin API of kh-cloud, with the token. */
function hqAdmin(base) {
  const call = async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${ADMIN}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}

const results = [];
const servers = [];
let browser;

async function test(name, fn) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const started = Date.now();
  try {
    await fn(page);
    assert(errors.length === 0, `page errors: ${errors.join(' | ')}`);
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    const shot = join(OUT, `failed-console-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    results.push({ name, ok: false });
    console.log(`not ok - ${name}: ${e.message}\n  screenshot: ${shot}`);
  } finally {
    await context.close();
  }
}

const shot = (page, name) => page.screenshot({ path: join(OUT, `console-${name}.png`), fullPage: true });

async function signIn(page, base) {
  await page.goto(`${base}/`);
  await page.locator('#email').fill(OWNER.email);
  await page.locator('#password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('[data-testid=cash-total]').waitFor();
}

async function main() {
  const db = createTestDatabase();
  const made = spawnSync(
    khCloudBinary(),
    ['user', 'create', '--email', OWNER.email, '--role', 'owner', '--password-stdin'],
    { input: `${OWNER.password}\n`, env: { PATH: process.env.PATH, KH_DATABASE_URL: db }, encoding: 'utf8' },
  );
  assert(made.status === 0, `kh-cloud user create failed: ${made.stderr}`);
  const cloud = await startCloud({
    logFile: join(OUT, 'console-kh-cloud.log'),
    databaseUrl: db,
    env: { KH_ADMIN_TOKEN: ADMIN },
  });
  servers.push(cloud);
  const admin = hqAdmin(cloud.base);
  const jakarta = await admin.post('/branches', { code: 'JKT-01', name: 'Jakarta Pusat' });
  const branchEnv = (key) => ({
    KH_CLOUD_URL: cloud.base,
    KH_BRANCH_API_KEY: key,
    KH_SYNC_INTERVAL_SECS: '1',
  });
  const pc = await startServer({ logFile: join(OUT, 'console-kh-local-1.log'), env: branchEnv(jakarta.api_key) });
  servers.push(pc);
  const cashier = apiClient(pc.base);
  const day = (d, h) => `2026-12-0${d}T0${h}:15:00.000Z`;
  const rows = [
    { type: 'IN', amount: 1_500_000, category: 'Penjualan', description: 'nasi box 150', occurred_at: day(1, 3) },
    { type: 'OUT', amount: 250_000, category: 'Bahan Baku', description: 'beras 20 kg', occurred_at: day(1, 5) },
    {
      type: 'IN',
      amount: 800_000,
      category: 'Pesanan Katering',
      description: 'katering arisan',
      occurred_at: day(2, 4),
    },
    { type: 'OUT', amount: 120_000, category: 'Gaji', description: 'lembur', occurred_at: day(3, 2) },
  ];
  const created = [];
  for (const row of rows) created.push(await cashier.post('/transactions', row));
  await cashier.post(`/transactions/${created[3].id}/void`, { reason: 'salah ketik' });
  await eventually(async () => {
    const s = await cashier.get('/system/status');
    return s.status === 'online' && s.unsynced_count === 0;
  }, 'the branch PC did not deliver its entries to HQ');

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });

  await test('signing in shows the cash position and the branch comparison as HQ holds them', async (page) => {
    const summary = await admin.get('/reports/summary');
    await signIn(page, cloud.base);
    const total = await page.locator('[data-testid=cash-total]').innerText();
    assert(total.includes(rp(summary.total.balance)), `cash total ${total}, HQ says ${rp(summary.total.balance)}`);
    assert(summary.total.balance === 1_500_000 - 250_000 + 800_000, `HQ's balance ${summary.total.balance}`);
    const perBranch = page.locator('[data-testid=branch-cash]', { hasText: 'Jakarta Pusat' });
    assert((await perBranch.innerText()).includes(rp(summary.total.balance)), 'the branch line');
    await page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' }).waitFor();
    await shot(page, 'overview');
  });

  await test('drill-down: branch, day, one entry with its channel and times', async (page) => {
    await signIn(page, cloud.base);
    await page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' }).getByRole('link').first().click();
    await page.locator('[data-testid=daily-table]').waitFor();
    await page.locator('[data-testid=daily-row]', { hasText: '01/12/2026' }).getByRole('button').first().click();
    const entry = page.locator('[data-testid=entry-row]', { hasText: 'nasi box 150' });
    await entry.waitFor();
    assert((await page.locator('[data-testid=entry-row]').count()) === 2, 'the day holds two entries');
    await entry.getByRole('button').first().click();
    const detail = page.locator('[data-testid=entry-detail]');
    await detail.waitFor();
    const text = await detail.innerText();
    assert(text.includes(rp(1_500_000)) && text.includes('Tunai'), `detail: ${text}`);
    await shot(page, 'drill-down');
  });

  await test('a branch made in the console works on a new PC; rotating its key stops that PC', async (page) => {
    await signIn(page, cloud.base);
    await page.goto(`${cloud.base}/cabang`);
    await page.getByRole('button', { name: 'Cabang baru' }).click();
    await page.locator('#branch-code').fill('BDG-01');
    await page.locator('#branch-name').fill('Bandung');
    await page.getByRole('dialog').getByRole('button', { name: 'Cabang baru' }).click();
    const keyText = page.locator('[data-testid=api-key]');
    await keyText.waitFor();
    const key = (await keyText.innerText()).trim();
    assert(key.startsWith('kh_'), `the key shown: ${key}`);
    await shot(page, 'key-once');
    await page.getByRole('button', { name: 'Sudah saya simpan' }).click();

    const bandung = await startServer({ logFile: join(OUT, 'console-kh-local-2.log'), env: branchEnv(key) });
    servers.push(bandung);
    const local = apiClient(bandung.base);
    await local.post('/transactions', { type: 'IN', amount: 45_000, category: 'Penjualan' });
    await eventually(async () => {
      const s = await local.get('/system/status');
      return s.status === 'online' && s.unsynced_count === 0;
    }, 'the new branch PC did not deliver with the key from the console');

    await page.getByRole('button', { name: 'Ganti kunci: BDG-01' }).click();
    await page.getByRole('button', { name: 'Ya, ganti kunci' }).click();
    await keyText.waitFor();
    await local.post('/system/sync');
    await eventually(
      async () => (await local.get('/system/status')).status === 'unauthorized',
      'the PC with the old key did not turn unauthorized',
    );
  });

  await test('a category deactivated in Daftar leaves the branch form after a sync', async (page) => {
    await signIn(page, cloud.base);
    await page.goto(`${cloud.base}/daftar`);
    await page.getByRole('button', { name: 'Nonaktifkan: Sewa' }).click();
    await page.getByRole('button', { name: 'Aktifkan: Sewa' }).waitFor();
    await shot(page, 'lists');
    await cashier.post('/system/sync');
    await eventually(async () => {
      const lists = await cashier.get('/lists');
      return lists.categories.some((c) => c.name === 'Sewa' && !c.active);
    }, 'the PC did not receive the deactivation');
    await page.goto(`${pc.base}/catat`);
    // The form still offers the categories in use (Pengeluaran is the default type)...
    await page.locator('#entry-category').fill('Bahan');
    const bahan = page.locator('[role=option]', { hasText: 'Bahan Baku' });
    await bahan.waitFor();
    // ...and once the filter reads "Sewa", the deactivated category is not among them.
    await page.locator('#entry-category').fill('Sewa');
    await bahan.waitFor({ state: 'detached' });
    const offered = await page.locator('[role=option]').allInnerTexts();
    assert(!offered.some((o) => o.includes('Sewa')), `still offered: ${offered.join(', ')}`);
    await shot(page, 'branch-form-after-deactivation');
  });

  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed;
}

let failures = 1;
try {
  failures = await main();
} catch (e) {
  console.log(`not ok - setup: ${e.message}`);
} finally {
  await browser?.close();
  for (const s of servers.reverse()) await s.stop();
}
process.exit(failures === 0 ? 0 : 1);

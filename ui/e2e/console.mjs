// Browser tests of the HQ console (DESIGN 12): Debian's Chromium (playwright-core) against a
// real kh-cloud on PostgreSQL, with branches pushing through real kh-local processes.
// Prints one line per test and "N passed, N failed"; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
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

async function test(name, fn, contextOptions = {}) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    ...contextOptions,
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

/** Presses an export's start button (`<prefix>start`, after choosing `format` in its menu when
 * given) and returns what the browser downloaded: the name it suggests and the bytes. The
 * control's own error (`<prefix>error`), when it shows instead, is the failure's message. */
async function exportVia(page, prefix, format) {
  if (format) await page.locator(`[data-testid=${prefix}format]`).selectOption(format);
  const error = page.locator(`[data-testid=${prefix}error]`);
  const downloaded = page.waitForEvent('download', { timeout: 60_000 }).then(
    (download) => ({ download }),
    (e) => ({ failure: `no download (${e.message})` }),
  );
  const refused = error.waitFor({ timeout: 60_000 }).then(
    async () => ({ failure: `the console says: ${await error.innerText()}` }),
    () => new Promise(() => {}),
  );
  await page.locator(`[data-testid=${prefix}start]`).click();
  const got = await Promise.race([downloaded, refused]);
  assert(got.download, `${prefix}${format ?? ''}: ${got.failure}`);
  const broken = await got.download.failure();
  assert(!broken, `${prefix}${format ?? ''}: the download failed (${broken})`);
  return { name: got.download.suggestedFilename(), bytes: readFileSync(await got.download.path()) };
}

/** A CSV as Excel reads it: the UTF-8 BOM first (asserted), then its lines. */
function csvLines(file) {
  const [a, b, c] = file.bytes;
  assert(a === 0xef && b === 0xbb && c === 0xbf, `${file.name} does not start with the UTF-8 BOM`);
  return file.bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
}

const startsWith = (file, text) => file.bytes.subarray(0, text.length).toString('latin1') === text;

async function signIn(page, base) {
  await page.goto(`${base}/`);
  await page.locator('#email').fill(OWNER.email);
  await page.locator('#password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('[data-testid=cash-total]').waitFor();
}

/** The sizes the console must work at (the issue: "1366x768 and on a tablet"): a tablet upright
 * and sideways, with touch, and a 1366x768 laptop with a mouse. */
const SIZES = [
  { label: '768x1024', viewport: { width: 768, height: 1024 }, touch: true },
  { label: '1024x768', viewport: { width: 1024, height: 768 }, touch: true },
  { label: '1366x768', viewport: { width: 1366, height: 768 }, touch: false },
];
/** The least height of a control a finger presses (WCAG 2.5.5 asks 44 CSS px, 2.5.8 at least 24). */
const TOUCH_PX = 40;

/** What a user at this size would see go wrong on the page now, in words (none: []): the page
 * scrolling sideways, a table without a scroll box of its own (or whose box runs past the
 * screen, or whose last column cannot be scrolled into view), and with touch, a control
 * shorter than TOUCH_PX. */
function layoutProblems(page, touch) {
  return page.evaluate(
    ({ touch, minPx }) => {
      const problems = [];
      const doc = document.documentElement;
      const width = doc.clientWidth;
      const shown = (el) => {
        const r = el.getBoundingClientRect();
        if (r.width < 2 || r.height < 2) return false; // display: none
        for (let e = el; e; e = e.parentElement) {
          const st = getComputedStyle(e);
          // sr-only (a table keeps its size, clipped to nothing) or not shown
          if (st.display === 'none' || st.visibility === 'hidden' || st.clipPath.startsWith('inset(50%')) return false;
        }
        return true;
      };
      const name = (el) => {
        const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '')
          .trim()
          .replace(/\s+/g, ' ')
          .slice(0, 40);
        const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : el.id ? `#${el.id}` : '';
        return `<${el.tagName.toLowerCase()}${id}> "${text}"`;
      };
      if (doc.scrollWidth > width + 1) {
        // The outermost elements past the right edge say what pushed the page wider.
        const wide = [...document.body.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > width + 1 && shown(el))
          .filter((el, _, all) => !all.includes(el.parentElement))
          .slice(0, 4)
          .map((el) => `${name(el)} to ${Math.round(el.getBoundingClientRect().right)}px`);
        problems.push(`the page scrolls sideways (${doc.scrollWidth}px wide in ${width}px): ${wide.join(', ')}`);
      }
      for (const table of document.querySelectorAll('main table')) {
        if (!shown(table)) continue;
        const what = `table ${name(table).slice(0, 60)}`;
        let box = table.parentElement;
        while (box && box !== document.body && !/auto|scroll/.test(getComputedStyle(box).overflowX)) {
          box = box.parentElement;
        }
        if (!box || box === document.body) {
          problems.push(`${what} has no scroll box of its own`);
          continue;
        }
        const r = box.getBoundingClientRect();
        if (r.left < -1 || r.right > width + 1) {
          problems.push(`${what}: its scroll box runs past the screen (${Math.round(r.left)}..${Math.round(r.right)})`);
        }
        const lastHead = table.querySelector('thead tr > :last-child') ?? table.querySelector('tr > :last-child');
        const before = box.scrollLeft;
        box.scrollLeft = box.scrollWidth;
        const reach = lastHead ? lastHead.getBoundingClientRect().right - box.getBoundingClientRect().right : 0;
        box.scrollLeft = before;
        if (reach > 1) problems.push(`${what}: its last column stays ${Math.round(reach)}px out of reach`);
      }
      if (touch) {
        const controls = document.querySelectorAll(
          'button, a[href], select, input:not([type=hidden]), textarea, [role=switch], [role=tab]',
        );
        for (const el of controls) {
          if (!shown(el) || el.closest('[aria-hidden=true]')) continue;
          // A control inside its label is pressed anywhere on the label.
          const target = el.closest('label') ?? el;
          const h = target.getBoundingClientRect().height;
          if (h < minPx - 0.5) problems.push(`${name(el)} is ${Math.round(h)}px tall for a finger`);
        }
      }
      return problems;
    },
    { touch, minPx: TOUCH_PX },
  );
}

async function assertFits(page, touch, where) {
  const problems = await layoutProblems(page, touch);
  assert(problems.length === 0, `${where}: ${problems.join('; ')}`);
}

/** Goes to a screen through the header's navigation: through the Menu button when the header
 * folds its navigation away (a tablet), straight from the header when it shows it. */
async function viaNavigation(page, linkName, { touch, where }) {
  const press = (loc) => (touch ? loc.tap() : loc.click());
  const nav = page.getByRole('navigation', { name: 'Menu utama' });
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  const folded = await menu.isVisible();
  if (folded) {
    assert((await menu.getAttribute('aria-expanded')) === 'false', `${where}: the menu was open before it was pressed`);
    assert(!(await nav.isVisible()), `${where}: the navigation shows while the menu is closed`);
    await press(menu);
    await nav.waitFor({ state: 'visible' });
    assert((await menu.getAttribute('aria-expanded')) === 'true', `${where}: the open menu says aria-expanded=false`);
    const controls = await menu.getAttribute('aria-controls');
    assert(
      controls && (await page.locator(`#${controls}`).locator('nav').count()) === 1,
      `${where}: the Menu button does not control the navigation (aria-controls=${controls})`,
    );
    await assertFits(page, touch, `${where}, menu open`);
  } else {
    assert(await nav.isVisible(), `${where}: neither the navigation nor a Menu button shows`);
  }
  const link = nav.getByRole('link', { name: linkName, exact: true });
  await press(link);
  // The navigation marks the screen shown (even while folded away again).
  const current = page.locator('header nav a[aria-current=page]');
  await eventually(async () => (await current.textContent()) === linkName, `${where}: ${linkName} did not open`);
  if (folded) {
    await nav.waitFor({ state: 'hidden' });
    assert((await menu.getAttribute('aria-expanded')) === 'false', `${where}: the menu stayed expanded after a choice`);
  }
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
  // A cash shift on the PC (no staff yet: no PIN), closed Rp 5.000 short with a note. It adds
  // no entry, so the figures above stay as they are.
  const shift = await cashier.post('/shifts', { opening_float: 100_000 });
  const counted = { note_50000: 1, note_20000: 2, note_5000: 1 };
  const closed = await cashier.post(`/shifts/${shift.id}/close`, { counts: counted, note: 'kurang kembalian' });
  assert(closed.difference === -5_000, `the PC's difference: ${closed.difference}`);
  await eventually(async () => {
    const page = await admin.get(`/branches/${jakarta.id}/shifts`);
    return page.items.some((s) => s.id === shift.id && s.status === 'closed');
  }, "the shift's close did not reach HQ");

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

  await test("the branch page shows the PC's closed shift with its Rp 5.000 difference and the count", async (page) => {
    await signIn(page, cloud.base);
    await page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' }).getByRole('link').first().click();
    const row = page.locator('[data-testid=shift-row]').first();
    await row.waitFor();
    const difference = (await row.locator('[data-testid=shift-difference]').innerText()).replace(/\s/g, ' ');
    assert(/[−-]Rp 5\.000/.test(difference), `the difference shown: ${difference}`);
    assert((await row.innerText()).includes('kurang kembalian'), 'the note');
    await row.getByRole('button').first().click();
    const detail = page.locator('[data-testid=shift-detail]');
    await detail.waitFor();
    const total = await detail.locator('[data-testid=count-total]').innerText();
    assert(total.includes(rp(95_000)), `the counted total: ${total}`);
    await shot(page, 'branch-shift');
    // The comparison carries the branch's difference too.
    await page.goto(cloud.base);
    const line = page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' });
    await line.waitFor();
    await eventually(
      async () => /[−-]Rp 5\.000/.test((await line.innerText()).replace(/\s/g, ' ')),
      'the comparison shows the difference',
    );
  });

  // The exports of the console, while JKT-01 is the only branch with entries: December 2026 up
  // to today in HQ's zone (Asia/Jakarta) holds its four entries, the void and the closed shift.
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const december = `period=custom&from=2026-12-01&to=${today}`;

  await test('Ringkasan downloads the comparison (CSV), every entry of the period (CSV) and the monthly report (XLSX)', async (page) => {
    await signIn(page, cloud.base);
    await page.goto(`${cloud.base}/?${december}`);
    await page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' }).waitFor();

    const summary = await exportVia(page, 'summary-export-');
    assert(/^ringkasan_.*\.csv$/.test(summary.name), `the comparison is named ${summary.name}`);
    const summaryLines = csvLines(summary);
    assert(
      summaryLines.some((l) => l.includes('JKT-01') || l.includes('Jakarta Pusat')),
      `the comparison has no line of JKT-01: ${summaryLines.join(' | ')}`,
    );
    await page.locator('[data-testid=toast]', { hasText: 'Ekspor selesai' }).first().waitFor();

    const entries = await exportVia(page, 'entries-export-');
    assert(/^transaksi_.*\.csv$/.test(entries.name), `the entries are named ${entries.name}`);
    const lines = csvLines(entries);
    const listed = await admin.get(`/transactions?branch_id=${jakarta.id}&from=2026-12-01&to=${today}&limit=1`);
    assert(lines.length - 1 === listed.total, `${lines.length - 1} rows in the file, HQ lists ${listed.total}`);
    for (const text of ['nasi box 150', 'beras 20 kg', 'katering arisan', 'salah ketik']) {
      assert(
        lines.some((l) => l.includes(text)),
        `the entries file lacks "${text}"`,
      );
    }

    // Last month by default; December picked.
    const month = page.locator('[data-testid=monthly-month]');
    const [y, m] = today.split('-').map(Number);
    const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    assert((await month.inputValue()) === lastMonth, `the month offered: ${await month.inputValue()}`);
    await month.fill('2026-12');
    const monthly = await exportVia(page, 'monthly-');
    assert(monthly.name === 'bulanan_2026-12.xlsx', `the monthly report is named ${monthly.name}`);
    assert(startsWith(monthly, 'PK'), 'the monthly report is not a zip (an XLSX file)');
    await shot(page, 'exports-overview');
  });

  await test("a branch's page downloads its daily report (PDF) and its shifts (XLSX)", async (page) => {
    await signIn(page, cloud.base);
    await page.goto(`${cloud.base}/cabang/${jakarta.id}?${december}`);
    await page.locator('[data-testid=daily-table]').waitFor();
    await page.locator('[data-testid=shift-row]').first().waitFor();

    const daily = await exportVia(page, 'daily-export-', 'pdf');
    assert(/^harian_JKT-01_.*\.pdf$/.test(daily.name), `the daily report is named ${daily.name}`);
    assert(startsWith(daily, '%PDF'), 'the daily report is not a PDF');

    const shifts = await exportVia(page, 'shifts-export-', 'xlsx');
    assert(/^shift_JKT-01_.*\.xlsx$/.test(shifts.name), `the shifts are named ${shifts.name}`);
    assert(startsWith(shifts, 'PK'), 'the shifts file is not a zip (an XLSX file)');
    await shot(page, 'exports-branch');
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

  // Staf cabang on a branch of its own (Makassar, with its own PC), so that the lock screen the
  // staff bring to a PC does not touch the Jakarta PC the other tests record on.
  const makassar = await admin.post('/branches', { code: 'MKS-01', name: 'Makassar' });
  const mksPc = await startServer({
    logFile: join(OUT, 'console-kh-local-staff.log'),
    env: branchEnv(makassar.api_key),
  });
  servers.push(mksPc);
  /** What the staff test made: each member's id and the PINs the console showed. */
  let staffMade = null;

  await test('Staf cabang: a cashier and a supervisor added (PIN shown once), a weak PIN refused, deactivate, reset PIN; HQ holds the same', async (page) => {
    await signIn(page, cloud.base);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Staf cabang' }).click();
    await page.locator('#staff-branch').selectOption(makassar.id);
    await eventually(
      () => new URL(page.url()).searchParams.get('branch_id') === makassar.id,
      'the address does not name the chosen branch',
    );
    await page.getByText('Belum ada staf di cabang ini').waitFor();
    const note = await page.locator('[data-testid=next-sync]').innerText();
    assert(note.includes('sinkronisasi berikutnya'), `the page does not say when the PC gets changes: ${note}`);

    const addStaff = async (name, role, pin) => {
      await page.getByRole('button', { name: 'Tambah staf' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Nama', { exact: true }).fill(name);
      await dialog.getByLabel('Peran', { exact: true }).selectOption(role);
      const pinField = dialog.getByLabel('PIN (boleh dikosongkan)');
      assert((await pinField.getAttribute('inputmode')) === 'numeric', 'the PIN field does not ask for a keypad');
      await pinField.fill(pin);
      await dialog.getByRole('button', { name: 'Tambah staf' }).click();
      return dialog;
    };
    /** The PIN in the dialog that shows it once, then that dialog closed and the PIN gone. */
    const pinShownOnce = async (name, screenshot) => {
      const once = page.locator('[data-testid=pin-dialog]');
      await once.waitFor();
      if (screenshot) await shot(page, screenshot);
      const text = await once.innerText();
      assert(text.includes('hanya ditampilkan sekali') && text.includes(name), `the PIN dialog says: ${text}`);
      const pin = (await once.locator('[data-testid=staff-pin]').innerText()).trim();
      assert(/^[0-9]{6}$/.test(pin), `the PIN shown: ${pin}`);
      await once.getByRole('button', { name: 'Sudah saya catat' }).click();
      await once.waitFor({ state: 'detached' });
      assert((await page.getByText(pin, { exact: true }).count()) === 0, 'the PIN stays on the page');
      return pin;
    };
    const row = (name) => page.locator('[data-testid=staff-row]', { hasText: name });

    await addStaff('Dewi Lestari', 'cashier', '402913');
    const cashierPin = await pinShownOnce('Dewi Lestari', 'staff-pin-once');
    assert(cashierPin === '402913', `the cashier's PIN shown: ${cashierPin}`);
    await row('Dewi Lestari').waitFor();
    await addStaff('Rahmat Hidayat', 'supervisor', '');
    const firstPin = await pinShownOnce('Rahmat Hidayat');
    await row('Rahmat Hidayat').waitFor();

    const weak = await addStaff('Siti Rahma', 'cashier', '123456');
    const error = weak.locator('[data-testid=staff-pin-input-error]');
    await error.waitFor();
    assert(
      (await error.innerText()).includes('Terlalu mudah ditebak'),
      `the weak PIN error: ${await error.innerText()}`,
    );
    await shot(page, 'staff-weak-pin');
    await weak.getByRole('button', { name: 'Batal' }).click();
    await weak.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Nonaktifkan: Dewi Lestari' }).click();
    const confirm = page.getByRole('dialog');
    assert((await confirm.innerText()).includes('tidak dapat masuk lagi'), 'the deactivation is not explained');
    await confirm.getByRole('button', { name: 'Ya, nonaktifkan' }).click();
    await page.getByRole('button', { name: 'Aktifkan: Dewi Lestari' }).waitFor();
    assert((await row('Dewi Lestari').innerText()).includes('Nonaktif'), 'the cashier does not read Nonaktif');

    await page.getByRole('button', { name: 'Atur ulang PIN: Rahmat Hidayat' }).click();
    const reset = page.getByRole('dialog');
    assert((await reset.innerText()).includes('sinkron berikutnya'), 'the reset does not say when the old PIN stops');
    await reset.getByRole('button', { name: 'Simpan PIN baru' }).click();
    const newPin = await pinShownOnce('Rahmat Hidayat');
    assert(newPin !== firstPin, `the reset PIN is the old one (${newPin})`);
    await shot(page, 'staff');

    const staff = await admin.get(`/staff?branch_id=${makassar.id}`);
    const held = staff.map((s) => [s.name, s.role, s.active, s.branch_id === makassar.id, 'pin' in s]);
    const want = [
      ['Dewi Lestari', 'cashier', false, true, false],
      ['Rahmat Hidayat', 'supervisor', true, true, false],
    ];
    assert(JSON.stringify(held) === JSON.stringify(want), `HQ holds ${JSON.stringify(held)}`);
    const rows = await page.locator('[data-testid=staff-row]').allInnerTexts();
    const seen = rows.map((r) => r.replace(/\s+/g, ' ').trim());
    assert(
      seen.length === 2 &&
        seen[0].startsWith('Dewi Lestari Kasir Nonaktif') &&
        seen[1].startsWith('Rahmat Hidayat Supervisor Aktif'),
      `the table shows ${JSON.stringify(seen)}`,
    );
    const byName = Object.fromEntries(staff.map((s) => [s.name, s.id]));
    staffMade = {
      cashier: { id: byName['Dewi Lestari'], pin: cashierPin },
      supervisor: { id: byName['Rahmat Hidayat'], oldPin: firstPin, pin: newPin },
    };
  });

  await test("the branch's PC takes the staff at its next sync: the new PIN signs in, the old one and the deactivated cashier do not", async () => {
    assert(staffMade, 'the staff test before made nobody');
    const local = apiClient(mksPc.base);
    // A sync that began after the changes: the status's last sync moves past a time after them,
    // then once more (the lists, staff included, are read at the end of each sync).
    const syncedAfter = async (t) => {
      const s = await local.get('/system/status');
      const at = s.last_sync_at ? Date.parse(s.last_sync_at) : 0;
      return at > t ? at : false;
    };
    const changed = Date.now();
    await local.post('/system/sync');
    const first = await eventually(() => syncedAfter(changed), 'the Makassar PC did not sync');
    await eventually(() => syncedAfter(first), 'the Makassar PC did not sync again');
    const roster = await local.get('/staff');
    const names = roster.staff.map((s) => `${s.name}/${s.role}`);
    assert(roster.required === true, 'the PC does not ask for a sign-in');
    assert(JSON.stringify(names) === '["Rahmat Hidayat/supervisor"]', `the PC lists ${JSON.stringify(names)}`);
    const signInAtPc = async (staff_id, pin) =>
      (
        await fetch(`${mksPc.base}/api/v1/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ staff_id, pin }),
        })
      ).status;
    const old = await signInAtPc(staffMade.supervisor.id, staffMade.supervisor.oldPin);
    assert(old === 401, `the supervisor's old PIN answered ${old}`);
    const fresh = await signInAtPc(staffMade.supervisor.id, staffMade.supervisor.pin);
    assert(fresh === 201, `the supervisor's new PIN answered ${fresh}`);
    const gone = await signInAtPc(staffMade.cashier.id, staffMade.cashier.pin);
    assert(gone === 404, `the deactivated cashier's PIN answered ${gone}`);
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

  for (const size of SIZES) {
    const { label, viewport, touch } = size;
    await test(
      `at ${label}${touch ? ' (touch)' : ''} sign-in and every screen fit the width, each is reached from the header, tables scroll in their own box`,
      async (page) => {
        const press = (loc) => (touch ? loc.tap() : loc.click());
        const at = (what) => `${what} at ${label}`;
        // From the top: a full-page picture of a scrolled page draws the sticky header mid-page.
        const screenShot = async (name) => {
          await page.evaluate(() => window.scrollTo(0, 0));
          await shot(page, `${label}-${name}`);
        };

        await page.goto(`${cloud.base}/`);
        const form = page.getByRole('form', { name: 'Masuk' });
        await form.waitFor();
        await assertFits(page, touch, at('sign-in'));
        const box = await form.boundingBox();
        const submit = await page.getByRole('button', { name: 'Masuk' }).boundingBox();
        assert(
          box.x >= 0 && box.x + box.width <= viewport.width && submit.y + submit.height <= viewport.height,
          at(`the sign-in form does not fit the screen (${JSON.stringify(box)}, Masuk at ${submit.y})`),
        );
        await screenShot('signin');
        await page.locator('#email').fill(OWNER.email);
        await page.locator('#password').fill(OWNER.password);
        await press(page.getByRole('button', { name: 'Masuk' }));

        // Ringkasan, with its chart drawn (it arrives after the figures).
        await page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' }).waitFor();
        await page.locator('[data-testid=business-chart] .recharts-wrapper').waitFor();
        const header = await page.locator('header').boundingBox();
        assert(
          header.height <= viewport.height / 8,
          at(`the header takes ${Math.round(header.height)}px of the ${viewport.height}px screen`),
        );
        await assertFits(page, touch, at('Ringkasan'));
        await screenShot('overview');

        if (touch) {
          // The menu by keyboard too (a tablet with a keyboard): Enter opens it, Tab enters it,
          // Escape closes it and gives the focus back to the button.
          const menu = page.getByRole('button', { name: 'Menu', exact: true });
          await menu.focus();
          await page.keyboard.press('Enter');
          assert((await menu.getAttribute('aria-expanded')) === 'true', at('Enter did not open the menu'));
          await screenShot('menu');
          await page.keyboard.press('Tab');
          const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
          assert(first === 'Ringkasan', at(`Tab after the Menu button went to "${first}"`));
          await page.keyboard.press('Escape');
          assert((await menu.getAttribute('aria-expanded')) === 'false', at('Escape did not close the menu'));
          assert(
            await menu.evaluate((el) => el === document.activeElement),
            at('the focus did not return to the Menu button'),
          );
        }

        // Drill-down: the branch, a day, an entry.
        await press(page.locator('[data-testid=comparison-row]', { hasText: 'JKT-01' }).getByRole('link').first());
        await page.locator('[data-testid=daily-table]').waitFor();
        await press(page.locator('[data-testid=daily-row]', { hasText: '01/12/2026' }).getByRole('button').first());
        await press(page.locator('[data-testid=entry-row]', { hasText: 'nasi box 150' }).getByRole('button').first());
        await page.locator('[data-testid=entry-detail]').waitFor();
        await assertFits(page, touch, at('the drill-down'));
        await screenShot('drill-down');

        for (const [link, ready, name] of [
          ['Cabang', '[data-testid=branch-row]', 'branches'],
          ['Staf cabang', '[data-testid=staff-branch]', 'staff'],
          ['Daftar', '[data-testid=list-row]', 'lists'],
          ['Pengguna', '[data-testid=user-row]', 'users'],
          ['Riwayat perubahan', '[data-testid=audit-row]', 'audit'],
          ['Ringkasan', '[data-testid=comparison-row]', null],
        ]) {
          await viaNavigation(page, link, { touch, where: at(link) });
          await page.locator(ready).first().waitFor();
          await assertFits(page, touch, at(link));
          if (name) await screenShot(name);
        }
      },
      touch ? { viewport, hasTouch: true, isMobile: true } : { viewport },
    );
  }

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

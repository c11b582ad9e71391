// Times the HQ console's sign-in on a large HQ (`kh-bench hq` runs it, against the kh-cloud it
// seeded): from the click on "Masuk" to the overview's figures on screen, in Debian's Chromium
// (playwright-core), each run in a fresh browser context (empty cache, no session).
//
//   KH_BENCH_URL=http://127.0.0.1:port KH_BENCH_EMAIL=… KH_BENCH_PASSWORD=… node e2e/bench-console.mjs
//   (or the three as arguments; KH_BENCH_RUNS, default 5; KH_BENCH_EXPECT_CASH, the balance the
//   cash position must show)
//
// "On screen" = the cash position and the period's figures (in, out, net) hold numbers and the
// branch comparison has its rows, and the browser has painted that frame. Measured in the page
// (performance.now()), so the driver's round trips are not in it. Prints one line per run and
// `RESULT {json}` with the medians.
import { chromium } from 'playwright-core';

const [argUrl, argEmail, argPassword] = process.argv.slice(2);
const base = process.env.KH_BENCH_URL ?? argUrl;
const email = process.env.KH_BENCH_EMAIL ?? argEmail;
const password = process.env.KH_BENCH_PASSWORD ?? argPassword;
const runs = Number(process.env.KH_BENCH_RUNS ?? 5);
const expectCash = process.env.KH_BENCH_EXPECT_CASH;
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

if (!base || !email || !password) {
  console.error('usage: KH_BENCH_URL=… KH_BENCH_EMAIL=… KH_BENCH_PASSWORD=… node e2e/bench-console.mjs');
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? null : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/** In the page: click "Masuk", then watch the DOM until the figures hold numbers; resolves
 * with the times (ms from the click) once that frame is painted. */
function signInAndWait(timeoutMs) {
  const number = (sel) => {
    const el = document.querySelector(sel);
    return el && /\d/.test(el.textContent ?? '') ? el : null;
  };
  const button = document.querySelector('form button[type=submit]');
  if (!button) throw new Error('no sign-in button');
  const marks = {};
  const t0 = performance.now();
  window.__benchT0 = t0;
  return new Promise((resolve, reject) => {
    const check = () => {
      const now = performance.now();
      if (marks.cash === undefined && number('[data-testid=cash-total]')) marks.cash = now - t0;
      const figures =
        number('[data-testid=figure-in]') &&
        number('[data-testid=figure-out]') &&
        number('[data-testid=figure-net]') &&
        document.querySelector('[data-testid=comparison-row]');
      if (marks.cash !== undefined && figures) {
        observer.disconnect();
        clearTimeout(timer);
        marks.figures = now - t0;
        marks.cashText = document.querySelector('[data-testid=cash-total]').textContent;
        // On screen: the frame after this DOM change has been painted.
        requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ...marks, usable: performance.now() - t0 })));
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no figures on screen within ${timeoutMs} ms: ${document.body.innerText.slice(0, 300)}`));
    }, timeoutMs);
    button.click();
  });
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const results = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      const context = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'id-ID',
        timezoneId: 'Asia/Jakarta',
      });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/`);
      await page.locator('#email').waitFor({ timeout: 15_000 });
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(password);
      const r = await page.evaluate(signInAndWait, 30_000);
      const chartStart = Date.now();
      let chart = null;
      try {
        await page.locator('[data-testid=business-chart] .recharts-surface').first().waitFor({ timeout: 20_000 });
        chart = await page.evaluate(() => performance.now() - window.__benchT0);
      } catch {
        console.log(`run ${run}: the chart was not drawn within ${Date.now() - chartStart} ms`);
      }
      if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
      const shown = r.cashText.replace(/\D/g, '');
      if (expectCash !== undefined && shown !== String(Math.abs(Number(expectCash)))) {
        throw new Error(`the cash position shows ${r.cashText}, HQ reports ${expectCash}`);
      }
      results.push({ ...r, chart });
      console.log(
        `run ${run}: figures on screen ${r.usable.toFixed(0)} ms (cash position ${r.cash.toFixed(0)} ms, ` +
          `chart ${chart === null ? '—' : `${chart.toFixed(0)} ms`}); cash position ${r.cashText.trim()}`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const usable = results.map((r) => r.usable);
  const summary = {
    runs: results.length,
    median_usable: median(usable),
    min_usable: Math.min(...usable),
    max_usable: Math.max(...usable),
    median_cash: median(results.map((r) => r.cash)),
    median_chart: median(results.filter((r) => r.chart !== null).map((r) => r.chart)),
  };
  console.log(`RESULT ${JSON.stringify(summary)}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});

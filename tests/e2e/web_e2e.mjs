// End-to-end test of the web application in Debian's Chromium against a real server on a
// generated demo city. Run by ctest:
//   node tests/e2e/web_e2e.mjs --jundeng PATH --dist web/dist --out DIR
// It generates the city (parsing the one-time passwords `jundeng demo` prints), serves it with
// the built app on a free port, and walks through the health workers' main tasks, writing a
// screenshot of each main page into DIR. Every request the browser makes must stay on the
// server's origin, and a console error fails the scenario. Ends with "N passed, N failed".
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAccounts, waitForServer } from '../support/city.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const JUNDENG = path.resolve(arg('jundeng', 'build/jundeng'));
const DIST = path.resolve(arg('dist', 'web/dist'));
const OUT = path.resolve(arg('out', 'e2e'));
const CHROMIUM = arg('chromium', process.env.JD_CHROMIUM || '/usr/bin/chromium');
const PERSONS = arg('persons', '300');

// Without the built app or the browser there is nothing to test: skip (ctest SKIP_RETURN_CODE).
for (const [what, file] of [['the web app (make build)', path.join(DIST, 'index.html')], ['Chromium', CHROMIUM], ['the web app\'s npm packages (make build)', path.join(DIST, '..', 'node_modules', 'playwright-core')]]) {
  if (!fs.existsSync(file)) {
    console.log(`SKIP: ${what} is missing: ${file}`);
    process.exit(77);
  }
}

// playwright-core is the web app's devDependency: resolve it from web/node_modules.
const requireFromWeb = createRequire(path.join(DIST, '..', 'package.json'));
const { chromium } = requireFromWeb('playwright-core');

fs.mkdirSync(OUT, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jundeng-e2e-'));
const db = path.join(work, 'city.db');

// ---------------------------------------------------------------- the city and its server

const demoOut = execFileSync(JUNDENG, ['demo', '--db', db, '--persons', PERSONS, '--seed', '7'], { encoding: 'utf8' });
const accounts = parseAccounts(demoOut);
const byRole = (role) => Object.values(accounts).filter((a) => a.role === role);
if (!byRole('center').length || !byRole('commission').length || !byRole('district').length) {
  console.error(demoOut);
  throw new Error('the demo printed no center, district or commission account');
}

const portFile = path.join(work, 'port');
const server = spawn(JUNDENG, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile, '--static', DIST], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, JUNDENG_LOG_LEVEL: 'warn' },
});
let serverLog = '';
server.stderr.on('data', (d) => {
  serverLog = (serverLog + d).slice(-20000);
});

// ---------------------------------------------------------------- a tiny runner

const results = [];
let lastPage = null;
// Console errors fail the scenario they happen in, except those it says it causes on purpose
// (a wrong password's 401, a person out of reach's 404), matched on the text and the URL.
const consoleErrors = [];
let allowedConsoleErrors = [];
function allowConsoleErrors(...patterns) {
  allowedConsoleErrors.push(...patterns);
}
async function scenario(name, fn) {
  const started = Date.now();
  consoleErrors.length = 0;
  allowedConsoleErrors = [];
  try {
    await fn();
    const unexpected = consoleErrors.filter((e) => !allowedConsoleErrors.some((p) => p.test(e)));
    if (unexpected.length) throw new Error(`console errors:\n  ${unexpected.join('\n  ')}`);
    results.push({ name, ok: true });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.stack || e}`);
    // What the page showed when it failed, for the report.
    await lastPage?.screenshot({ path: path.join(OUT, `FAILED-${results.length}.png`), fullPage: true }).catch(() => {});
  }
}
function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// ---------------------------------------------------------------- helpers on pages

const NEW_PASSWORD = 'Ein-Neues-Passwort-2026';
const offOrigin = [];
const scriptErrors = [];

async function newPage(browser, base) {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 768 },
    locale: 'zh-CN',
    // The users' browsers keep Beijing time: the date pickers' "today" is theirs, whatever the
    // clock of the machine running the test.
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  // No request may leave the origin: no CDN fonts, scripts or telemetry.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  lastPage = page;
  page.setDefaultTimeout(15000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url || '';
    consoleErrors.push(`${msg.text()} ${where}`.trim());
  });
  page.on('pageerror', (e) => {
    console.log(`  page error: ${e.message}`);
    scriptErrors.push(e.message);
  });
  return page;
}

async function shot(page, name) {
  await page.waitForTimeout(300); // let charts and transitions settle
  // A window as tall as the page, so the sticky menu and header sit where a reader expects them.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const size = page.viewportSize();
  if (height > size.height) await page.setViewportSize({ width: size.width, height: Math.min(height, 4000) });
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  await page.setViewportSize(size);
}

/** Signs in with the one-time password and goes through the forced change to our own. */
async function signIn(page, base, account, { screenshots = false } = {}) {
  await page.goto(`${base}/`);
  await page.waitForURL(/#\/login/);
  await page.fill('input[name=username]', account.username);
  await page.fill('input[name=password]', account.changed ? NEW_PASSWORD : account.password);
  if (screenshots) await shot(page, '01-login');
  await page.click('[data-test=login-submit]');
  if (!account.changed) {
    await page.waitForURL(/#\/password/);
    await page.getByText('请先设置自己的密码').waitFor();
    await page.fill('input[name=current-password]', account.password);
    await page.fill('input[name=new-password]', NEW_PASSWORD);
    await page.fill('input[name=repeat-password]', NEW_PASSWORD);
    if (screenshots) await shot(page, '02-password-change');
    await page.click('[data-test=password-submit]');
    account.changed = true;
  }
  await page.waitForURL((u) => !/login|password/.test(u.hash));
  await page.locator('[data-test=who]').getByText(account.username).waitFor();
}

async function chooseOption(page, selectLocator, text) {
  // On a loaded machine a click can land while the dropdown is still opening and select nothing:
  // the select must then show the choice, or the choice is made again.
  const chosen = selectLocator.locator('.el-select__placeholder:not(.is-transparent)', text ? { hasText: text } : {});
  for (let attempt = 1; ; ++attempt) {
    await selectLocator.click();
    const option = page.locator('.el-select-dropdown__item:visible', text ? { hasText: text } : {}).first();
    await option.waitFor();
    await page.waitForTimeout(200); // the dropdown's opening transition
    await option.click();
    try {
      await chosen.first().waitFor({ timeout: 3000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

async function fillDate(page, locator, value) {
  await locator.fill(value);
  await locator.press('Enter');
  await page.locator('.el-picker__popper:visible').waitFor({ state: 'hidden' }).catch(() => {});
}

/** The calendar day of `d` in Beijing time, as the server and the web app date things (the test machine's clock may be UTC, a day behind from 16:00). */
function ymd(d) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
/** The Beijing day `n` days before today (China keeps no daylight saving time: a day is 24 hours). */
function daysAgo(n) {
  return ymd(new Date(Date.now() - n * 86400000));
}
function residentId(division, birth, seq) {
  const body = `${division}${birth.replaceAll('-', '')}${seq}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i];
  return body + '10X98765432'[sum % 11];
}

/** The API as a signed-in account sees it (for facts the test needs, not for what it checks). */
async function apiAs(page, method, apiPath, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(`/api/v1${p}`, {
        method: m,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: b ? JSON.stringify(b) : undefined,
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    [method, apiPath, body],
  );
}

// ---------------------------------------------------------------- scenarios

const base = await waitForServer(server, portFile, () => serverLog);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

const center = byRole('center')[0];
const otherCenter = byRole('center')[1];
const district = accounts[`district_${center.org.slice(0, 6)}`] || byRole('district')[0];
const commission = byRole('commission')[0];
const scenarios = (await import('./web_scenarios.mjs')).default;
const ctx = { allowConsoleErrors, browser, base, newPassword: NEW_PASSWORD, accounts, center, otherCenter, district, commission, newPage, shot, signIn, chooseOption, fillDate, daysAgo, ymd, residentId, apiAs, expect, OUT };

try {
  const only = arg('only', '');
  for (const [name, fn] of scenarios) if (!only || name.includes(only)) await scenario(name, () => fn(ctx));
  await scenario('no request left the origin', async () => {
    expect(offOrigin.length === 0, `requests to other origins: ${offOrigin.join(', ')}`);
  });
  await scenario('no script error in any page', async () => {
    expect(scriptErrors.length === 0, `script errors: ${scriptErrors.join('; ')}`);
  });
} finally {
  await browser.close().catch(() => {});
  server.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`screenshots: ${OUT}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

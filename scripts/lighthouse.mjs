// The pages of scripts/lighthouse.sh: signs in through the login form in a Chromium it starts
// (playwright-core, the web app's devDependency), then runs Lighthouse (desktop preset) in that
// same browser on the login page (signed out, in a fresh tab without the session) and on the home
// page (signed in: Lighthouse keeps the browser's storage). Prints the scores, writes the reports.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const base = arg('base');
const out = arg('out', '.');
const min = Number(arg('min', '0'));
const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');
const requireFromWeb = createRequire(path.join(web, 'package.json'));
const { chromium } = requireFromWeb('playwright-core');
const lighthouse = (await import(pathToFileURL(path.join(web, 'node_modules/lighthouse/core/index.js')))).default;
const desktop = (await import(pathToFileURL(path.join(web, 'node_modules/lighthouse/core/config/desktop-config.js')))).default;

const PORT = 9300 + Math.floor(Math.random() * 500);
const NEW_PASSWORD = 'Lighthouse-Passwort-2026';
// The browser's own profile (not a separate context), so that the pages Lighthouse opens share the
// session's cookie and storage.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jundeng-lighthouse-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: arg('chromium', '/usr/bin/chromium'),
  headless: true,
  args: [`--remote-debugging-port=${PORT}`, '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

async function audit(name, url, { keepStorage }) {
  const result = await lighthouse(url, { port: PORT, output: ['json', 'html'], logLevel: 'error', disableStorageReset: keepStorage }, desktop);
  const [json, html] = result.report;
  fs.writeFileSync(path.join(out, `${name}.report.json`), json);
  fs.writeFileSync(path.join(out, `${name}.report.html`), html);
  const scores = Object.fromEntries(['performance', 'accessibility', 'best-practices'].map((c) => [c, Math.round(result.lhr.categories[c].score * 100)]));
  console.log(`${name.padEnd(6)} ${Object.entries(scores).map(([c, s]) => `${c} ${s}`).join('  ')}  (${url})`);
  for (const c of Object.keys(scores)) {
    for (const ref of result.lhr.categories[c].auditRefs) {
      const a = result.lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 0.9) console.log(`         ${c}: ${a.id} ${Math.round(a.score * 100)} ${a.displayValue || ''}`);
    }
  }
  return Object.values(scores);
}

try {
  const scores = [];
  scores.push(...(await audit('login', `${base}/#/login`, { keepStorage: false })));
  // Sign in (and choose a password: the demo's are one-time) in the browser Lighthouse drives.
  const page = await context.newPage();
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', arg('user'));
  await page.fill('input[name=password]', arg('password'));
  await page.click('[data-test=login-submit]');
  await page.waitForURL((u) => !/#\/login/.test(new URL(u).hash));
  if (/#\/password/.test(page.url())) {
    await page.fill('input[name=current-password]', arg('password'));
    await page.fill('input[name=new-password]', NEW_PASSWORD);
    await page.fill('input[name=repeat-password]', NEW_PASSWORD);
    await page.click('[data-test=password-submit]');
    await page.waitForURL((u) => !/#\/password/.test(new URL(u).hash));
  }
  await page.locator('[data-test=home-cards]').waitFor();
  scores.push(...(await audit('home', `${base}/#/`, { keepStorage: true })));
  if (min && scores.some((s) => s < min)) {
    console.log(`a score is below ${min}`);
    process.exitCode = 1;
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

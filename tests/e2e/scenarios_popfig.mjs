// Browser scenario of the population figures form on the assessment and funding page: the demo
// city has no figures, so the funding table is missing; the finance bureau enters the 户籍
// population of every district (a wrong figure is refused in the form first, a double click
// sends one request), the table fills in, and a unit's history shows the change.

async function financeEntersFigures(c) {
  // GET /funding answers 409 while the year's population figures are missing.
  c.allowConsoleErrors(/status of 409 .*\/api\/v1\/funding\?/);
  const finance = c.accounts.finance;
  c.expect(finance, 'the demo printed no finance account');
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, finance);
  await page.goto(`${c.base}/#/statistics/evaluation`);
  // What is missing, with the way to enter it, instead of an error.
  const missing = page.locator('[data-test=funding-missing]');
  await missing.waitFor();
  const units = await page.locator('[data-test=missing-unit]').count();
  c.expect(units > 0, 'the page lists the units without a figure');
  c.expect(!(await page.locator('[data-test=funding] .el-table').count()), 'no funding table before the figures');
  await page.click('[data-test=popfig-enter]');
  const dialog = page.locator('[data-test=popfig-dialog]');
  await dialog.locator('[data-test=popfig-table] tbody tr').first().waitFor();
  const rows = dialog.locator('[data-test=popfig-table] tbody tr');
  const n = await rows.count();
  c.expect(n === units, `the form lists ${n} units, the page said ${units} are missing`);

  // A negative figure is refused beside its field, and nothing is sent.
  const puts = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes('/api/v1/population-figures')) puts.push(r.url());
  });
  const hujiInputs = dialog.locator('input[data-test^=popfig-huji-]');
  await hujiInputs.nth(0).fill('-5');
  await page.click('[data-test=popfig-save]');
  await dialog.locator('[data-test=popfig-error]').first().waitFor();
  c.expect(puts.length === 0, `a refused form sent ${puts.length} request(s)`);

  // Every district's figure; a double click saves once.
  const figures = [];
  for (let i = 0; i < n; i++) {
    figures.push(100000 * (i + 1));
    await hujiInputs.nth(i).fill(String(figures[i]));
  }
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/v1/population-figures')),
    page.dblclick('[data-test=popfig-save]'),
  ]);
  c.expect(saved.status() === 200, `saving the figures answered ${saved.status()}`);
  await page.waitForTimeout(500);
  c.expect(puts.length === 1, `one save sent ${puts.length} request(s)`);

  // The funding table fills in behind the form, a row per district with the figure entered.
  const table = page.locator('[data-test=funding] .el-table__body-wrapper tbody tr');
  await table.first().waitFor();
  c.expect((await table.count()) === n, `the funding table has ${await table.count()} rows for ${n} districts`);
  const firstHuji = (await table.first().locator('td').nth(1).innerText()).trim();
  c.expect(figures.map(String).includes(firstHuji), `the table shows the entered 户籍 population (${firstHuji})`);
  c.expect(!(await missing.count()), 'the missing list is gone');

  // The history of a unit: nothing → the figure, by the finance user, through the form.
  await dialog.locator('[data-test^=popfig-history-]').first().click();
  const change = page.locator('[data-test=popfig-history] [data-test=popfig-change]').first();
  await change.waitFor();
  const text = await change.innerText();
  c.expect(text.startsWith('—') && text.includes((100000).toLocaleString()), `the history shows ${text}`);
  c.expect((await page.locator('[data-test=popfig-history]').innerText()).includes(finance.username), 'the history names who changed it');
  await c.shot(page, '30-population-figures');
  await page.context().close();
}

export default [['a finance user enters the population figures and the funding table fills in', financeEntersFigures]];

// Browser scenarios of infectious-disease reporting and severe-mental-disorder follow-up: a health
// centre reports a case of a fixed-threshold disease (cholera: one case is a signal), the CDC of
// that district sees the signal on its home page, verifies it and opens an event; a 精防 user
// records a follow-up and sees the class and the next date the server set.

async function reportAndVerify(c) {
  // The card with an onset after its diagnosis is refused on purpose (the browser logs the 400).
  c.allowConsoleErrors(/status of 400 .*\/api\/v1\/disease\/cards$/);
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.center);
  await page.goto(`${c.base}/#/disease/report`);
  const form = page.locator('[data-test=card-form]');
  await form.waitFor();
  await form.locator('input[name=patient_name]').fill('黄测霍');
  await c.fillDate(page, form.locator('input[name=birth_date]'), '1988-03-04');
  await form.locator('input[name=phone]').fill('13800001234');
  await c.chooseOption(page, form.locator('[data-test=card-unit]'));
  await form.locator('input[name=current_address]').fill('测试路8号工棚');
  await c.chooseOption(page, form.locator('[data-test=card-disease]'), '霍乱');
  await c.fillDate(page, form.locator('input[name=onset_date]'), c.daysAgo(1));
  await form.locator('input[name=reporting_doctor]').fill('李测医');
  // An onset after the diagnosis is refused beside its field, and nothing is saved.
  await c.fillDate(page, form.locator('input[name=onset_date]'), c.daysAgo(-1));
  await page.click('[data-test=card-submit]');
  await form.locator('.el-form-item__error').first().waitFor();
  await c.shot(page, '40-card-refused');
  await c.fillDate(page, form.locator('input[name=onset_date]'), c.daysAgo(1));
  await Promise.all([page.waitForURL(/#\/disease\/cards\//), page.click('[data-test=card-submit]')]);
  await page.locator('[data-test=card-late]').getByText('及时').waitFor();
  await c.shot(page, '41-card');
  await page.context().close();

  // The CDC of the centre's district: the signal waits on its home page.
  const cdc = c.accounts[`cdc_${c.center.org.slice(0, 6)}`];
  c.expect(cdc, `the demo printed no CDC account for district ${c.center.org.slice(0, 6)}`);
  const cdcPage = await c.newPage(c.browser, c.base);
  await c.signIn(cdcPage, c.base, cdc);
  const count = cdcPage.locator('[data-test=home-card][data-key="disease-signals"] a [data-test=home-card-count]');
  await count.waitFor();
  const open = Number((await count.innerText()).trim());
  c.expect(open >= 1, `the CDC's signal card shows ${open}`);
  await Promise.all([cdcPage.waitForURL(/#\/disease\/signals/), count.click()]);
  await cdcPage.locator('[data-test=signals-total]').getByText(`共 ${open} 条`, { exact: true }).waitFor();
  const row = cdcPage.locator('[data-test=signals-table] tbody tr', { hasText: '霍乱' }).first();
  await row.waitFor();
  await c.shot(cdcPage, '42-signals');
  await row.locator('[data-test=signal-verify]').click();
  const dialog = cdcPage.locator('[data-test=verify-form]');
  await dialog.waitFor();
  await dialog.locator('[data-test=verify-event]').click();
  await dialog.locator('textarea[name=note]').fill('电话核实：实验室确认，已启动流行病学调查');
  await cdcPage.click('[data-test=verify-save]');
  await cdcPage.locator('[data-test=signals-total]').getByText(`共 ${open - 1} 条`, { exact: true }).waitFor();
  await cdcPage.goto(`${c.base}/#/disease/events`);
  await cdcPage.locator('[data-test=events-table] tbody tr', { hasText: '霍乱' }).first().waitFor();
  await c.shot(cdcPage, '43-events');
  await cdcPage.context().close();
}

async function mentalFollowUp(c) {
  const psychiatry = c.accounts[`psychiatry_${c.center.org.slice(0, 6)}`];
  c.expect(psychiatry, 'the demo printed no psychiatry account');
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, psychiatry);
  await page.goto(`${c.base}/#/mental/patients`);
  const first = page.locator('[data-test=mental-table] tbody tr').first();
  await first.waitFor();
  await Promise.all([page.waitForURL(/#\/mental\/patients\//), first.click()]);
  await page.locator('[data-test=mental-patient]').waitFor();
  const before = await page.locator('[data-test=mental-follow-ups] tbody tr').count();
  await page.click('[data-test=mental-follow-up]');
  const form = page.locator('[data-test=mental-form]');
  await form.waitFor();
  await form.locator('[data-test=mental-danger] label', { hasText: '1级' }).click();
  await page.click('[data-test=mental-save]');
  await form.waitFor({ state: 'detached' });
  await page.locator('[data-test=mental-follow-ups] tbody tr').nth(before).waitFor();
  const cls = (await page.locator('[data-test=mental-class]').innerText()).trim();
  c.expect(cls === '基本稳定', `a level-1 follow-up classes the patient ${cls}`);
  const next = (await page.locator('[data-test=mental-next]').innerText()).trim();
  c.expect(/^\d{4}-\d{2}-\d{2}$/.test(next), `the next follow-up date shows ${next}`);
  await c.shot(page, '44-mental');
  await page.context().close();
}

export default [
  ['report a cholera case, the district CDC verifies its signal and opens an event', reportAndVerify],
  ['a 精防 user records a follow-up and sees the class and next date', mentalFollowUp],
];

// Places and names in the registration form: 户籍地 picked by name or pinyin initials and filled in
// from the ID number's address code (an old code shown by its old name and its successor), 民族
// picked by name, the residence unit limited to the user's own area; the profile shows names.

async function pickByTyping(c, page, select, text, option) {
  await select.click();
  await select.locator('input').first().fill(text);
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: option }).first();
  await item.waitFor();
  await page.waitForTimeout(200); // the dropdown's opening transition
  await item.click();
}

async function registerWithNames(c) {
  // GET /persons/{id}/health-record answers "none yet" with a 404 (the browser logs it).
  c.allowConsoleErrors(/status of 404 .*\/health-record$/);
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.center);
  await page.goto(`${c.base}/#/registry/register`);
  const form = page.locator('[data-test=register-form]');
  await form.locator('input[name=name]').fill('覃地名');
  // An ID issued under 430526 (武冈县, abolished in 1994 for 武冈市 430581): the old name is shown
  // and the 户籍地 is filled in with the current successor.
  await form.locator('input[name=id_number]').fill(c.residentId('430526', '1990-03-01', String(300 + (Date.now() % 300) * 2 + 1).slice(0, 3)));
  await page.locator('[data-test=id-check]').getByText('校验通过').waitFor();
  const fromId = page.locator('[data-test=id-division]');
  await fromId.getByText('湖南省邵阳市武冈县').waitFor();
  c.expect((await fromId.innerText()).includes('湖南省邵阳市武冈市'), `the old code's successor: ${await fromId.innerText()}`);
  await page.locator('[data-test=division-name]').getByText('湖南省邵阳市武冈市（430581）').waitFor();
  // Another 户籍地 found by its pinyin initials (新宁县 → xnx) and picked by its full name.
  await pickByTyping(c, page, page.locator('[data-test=division-search]'), 'xnx', '湖南省邵阳市新宁县');
  await page.locator('[data-test=division-name]').getByText('湖南省邵阳市新宁县（430528）').waitFor();
  // 民族 by initials lists 壮族; picked by typing its name.
  const ethnicity = page.locator('[data-test=ethnicity-select]');
  await ethnicity.click();
  await ethnicity.locator('input').first().fill('zz');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '壮族' }).first().waitFor();
  await page.keyboard.press('Escape');
  await pickByTyping(c, page, ethnicity, '壮', '壮族');
  // The residence units offered are the user's own area, which opens the list (once the 民族 list
  // has closed, so that only the units' list is on screen).
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown__item')].some((e) => e.offsetParent !== null && e.getBoundingClientRect().height > 0));
  await page.locator('[data-test=residence-org]').click();
  const first = page.locator('.el-select-dropdown__item:visible').first();
  await first.waitFor();
  await page.waitForTimeout(200);
  const offered = await page.locator('.el-select-dropdown__item:visible').allInnerTexts();
  const outside = offered.filter((text) => !(text.match(/\d{9,12}/) || [''])[0].startsWith(c.center.org));
  c.expect(offered.length > 0 && outside.length === 0, `units outside ${c.center.org}: ${outside.slice(0, 3).join(' | ')}`);
  await first.click();
  await c.fillDate(page, form.locator('input[name=arrived_on]'), c.daysAgo(40));
  await c.shot(page, 'places-register');
  await page.click('[data-test=register-submit]');
  await page.waitForURL(/#\/persons\//);
  await page.locator('[data-test=person-name]').getByText('覃地名').waitFor();
  const details = page.locator('.el-descriptions');
  await details.getByText('湖南省邵阳市新宁县').waitFor();
  await details.getByText('壮族').waitFor();
  c.expect(!(await details.innerText()).includes('430528'), 'the profile shows the 户籍地 code instead of its name');
  await c.shot(page, 'places-profile');
  // Editing offers the same pickers, opened on the person's 户籍地.
  await page.click('[data-test=person-edit]');
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('[data-test=division-name]').getByText('湖南省邵阳市新宁县').waitFor();
  await pickByTyping(c, page, dialog.locator('[data-test=division-search]'), '武冈', '湖南省邵阳市武冈市');
  await dialog.getByRole('button', { name: '保存' }).click();
  await details.getByText('湖南省邵阳市武冈市').waitFor();
  await page.context().close();
}

export default [['pick the 户籍地 and 民族 by name, prefilled from the ID (an old code resolves), on the user\'s own units', registerWithNames]];

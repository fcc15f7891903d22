// Names, not codes: the eligibility explanation names places and labels its dates, the documents
// list names the submitter, and an auditor finds a person's audit rows by name.

const NAME = '龙词语';
const MASKED = '龙**';

/** A migrant from 湖南省邵阳市武冈市 registered through the API (the form has its own scenario). */
async function registerFromWugang(c, page) {
  const me = await c.apiAs(page, 'GET', '/auth/me');
  const orgs = await c.apiAs(page, 'GET', '/org-units');
  const units = (orgs.body?.items || orgs.body || []).filter((u) => u.path?.startsWith(me.body.org_path));
  const unit = units.find((u) => u.level === 'community') || units.find((u) => u.code === me.body.org_code);
  const r = await c.apiAs(page, 'POST', '/persons', {
    name: NAME,
    id_number: c.residentId('430581', '1991-04-03', '246'),
    phone: '13807719876',
    hukou_division: '430581',
    hukou_address: '湖南省邵阳市武冈市测试村',
    residence_org: unit.code,
    residence_address: '民族大道300号',
    left_hukou_on: c.daysAgo(300),
    arrived_on: c.daysAgo(298),
    move_reason: 'work',
  });
  c.expect(r.status === 201, `registering the migrant: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

async function explanationAndSubmitter(c) {
  c.allowConsoleErrors(/status of 404 .*\/health-record$/);
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.center);
  const id = await registerFromWugang(c, page);
  const doc = await c.apiAs(page, 'POST', `/persons/${id}/documents`, {
    type: 'residence_certificate', number: 'JZZM-WORDS-01', issued_by: '南宁市公安局测试派出所', issued_on: c.daysAgo(100), valid_until: `${new Date().getFullYear() + 2}-12-31`,
  });
  c.expect(doc.status === 201, `submitting a document: ${doc.status}`);
  const submitter = doc.body.submitted_by_name;
  c.expect(submitter && submitter !== c.center.username && !/^[0-9a-f-]{36}$/.test(submitter), `the submitter's name: ${submitter}`);

  await page.goto(`${c.base}/#/persons/${id}`);
  const panel = page.locator('[data-test=eligibility]');
  await panel.getByText('湖南省邵阳市武冈市 →').waitFor();
  const text = await panel.innerText();
  for (const key of ['as_of', 'qualifies_on', 'arrived_on', 'left_hukou_on', '430581', 'not_same_city']) {
    c.expect(!text.includes(key), `the explanation shows ${key}`);
  }
  c.expect(text.includes('认定日期') && text.includes('满足条件日期'), 'the dates stand under readable labels');
  await c.shot(page, 'words-01-eligibility');

  // The documents tab names the submitter, not an account code or id.
  await page.getByRole('tab', { name: '服务凭证' }).click();
  const cell = page.locator('[data-test=doc-table] [data-test=doc-submitter]').first();
  await cell.waitFor();
  const shown = (await cell.innerText()).trim();
  c.expect(shown === submitter, `the documents list shows the submitter as "${shown}", not "${submitter}"`);

  // In English the explanation is English, with English date labels.
  await page.locator('[data-test=language]').click();
  await page.locator('.el-dropdown-menu__item:visible', { hasText: 'English' }).click();
  // The language switch reloads the messages of every module: slow on a loaded machine.
  await page.getByRole('tab', { name: 'Details' }).click({ timeout: 30000 });
  await panel.getByText('different prefecture-level cities').waitFor();
  const en = await panel.innerText();
  c.expect(en.includes('As of') && !en.includes('as_of') && !en.includes('户籍 county'), 'the English explanation reads in English');
  await page.context().close();
}

async function auditByPerson(c) {
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.accounts.auditor);
  await page.goto(`${c.base}/#/system/audit`);
  await page.locator('[data-test=audit-table]').waitFor();
  await page.fill('input[data-test=audit-person]', NAME);
  // Enter submits the filter.
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/audit') && r.url().includes('person=') && r.ok()),
    page.press('input[data-test=audit-person]', 'Enter'),
  ]);
  await page.locator('[data-test=audit-persons]').getByText(MASKED).waitFor();
  await page.waitForTimeout(200);
  const objects = await page.locator('[data-test=audit-table] [data-test=audit-object]').allInnerTexts();
  c.expect(objects.length >= 2, `the person's audit rows: ${objects.length}`);
  for (const o of objects) {
    c.expect(o.includes(MASKED), `an audit row's object is "${o}"`);
    c.expect(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(o), `an audit row shows an id: ${o}`);
  }
  const table = await page.locator('[data-test=audit-table]').innerText();
  c.expect(!table.includes(NAME) && !table.includes('cli:'), 'the table shows the name masked and no account codes');
  await c.shot(page, 'words-02-audit-by-person');
  await page.context().close();
}

export default [
  ['names, not codes: the eligibility explanation names places and dates; documents name their submitter', explanationAndSubmitter],
  ['names, not codes: an auditor finds a person\'s audit rows by name', auditByPerson],
];

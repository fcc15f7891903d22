// Linked guardians (监护人): a child's certificate names a registered mother, picked from the
// registry by name; the due list shows her name and phone, her record lists the child, and a
// father registered on the spot from the certificate form becomes the guardian.

function todayInChina() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
function addDaysTo(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const maskPhone = (p) => `${p.slice(0, 3)}****${p.slice(7)}`;

async function guardianLinked(c) {
  c.allowConsoleErrors(/status of 400 .*\/vaccination-file$/); // the certificate without a guardian
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.center);
  const day = todayInChina();
  // A neighbourhood of the centre's area, a 5-month-old boy born here, and his mother.
  const someone = (await c.apiAs(page, 'GET', '/persons?page_size=1')).body.items[0];
  c.expect(someone, 'the centre sees someone in its area');
  const n = Date.now() % 400;
  const birth = addDaysTo(day, -150);
  const phone = `1391234${String(1000 + n).slice(-4)}`;
  const place = { hukou_division: '430528', residence_org: someone.residence_org, residence_address: '监护路6号', move_reason: 'family' };
  const child = await c.apiAs(page, 'POST', '/persons', {
    name: '欧阳小禾', id_number: c.residentId('430528', birth, String(101 + n * 2)), ...place, left_hukou_on: birth, arrived_on: birth,
  });
  c.expect(child.status === 201, `registered the child: HTTP ${child.status} ${JSON.stringify(child.body)}`);
  const arrived = addDaysTo(day, -400);
  const mother = await c.apiAs(page, 'POST', '/persons', {
    name: '欧阳慧琳', id_number: c.residentId('430528', '1993-08-21', String(100 + n * 2)), phone, ...place, move_reason: 'work', left_hukou_on: arrived, arrived_on: arrived,
  });
  c.expect(mother.status === 201, `registered the mother: HTTP ${mother.status} ${JSON.stringify(mother.body)}`);

  // The certificate: without a guardian it is refused; with her picked from the registry, her
  // phone comes from her record.
  await page.goto(`${c.base}/#/persons/${child.body.id}?tab=immunization`);
  const card = page.locator('[data-test=immunization-card]');
  await card.locator('[data-test=file-issue]').click();
  const form = page.locator('[data-test=file-form]');
  await form.locator('input[name=certificate_no]').fill(`GD${String(100000 + n)}`);
  await page.click('[data-test=file-submit]');
  await form.getByText('请从人口库选择监护人').waitFor();
  await form.locator('[data-test=guardian-pick]').click();
  await page.keyboard.type('欧阳慧琳');
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: '欧阳慧琳' }).first();
  await option.waitFor();
  await page.waitForTimeout(200);
  await option.click();
  await form.locator('[data-test=guardian-phone]').getByText(maskPhone(phone)).waitFor();
  await c.shot(page, '40-guardian-pick');
  await page.click('[data-test=file-submit]');
  await page.getByText('已保存').first().waitFor();
  const shown = card.locator('[data-test=file-guardian]');
  await shown.getByRole('link', { name: '欧阳慧琳' }).waitFor();
  await shown.getByText('母亲').waitFor();
  await c.shot(page, '41-guardian-on-certificate');

  // The due list shows her, with her phone masked.
  await page.goto(`${c.base}/#/immunization/due`);
  const table = page.locator('[data-test=due-table]');
  await table.locator('tbody tr').first().waitFor();
  const row = table.locator('tbody tr', { has: page.locator(`[data-test=due-child][data-person="${child.body.id}"]`) });
  for (let i = 0; i < 20 && !(await row.count()); i++) {
    const next = page.locator('.pager .btn-next');
    c.expect(await next.isEnabled(), 'the child is on the due list');
    await next.click();
    await page.waitForTimeout(400);
  }
  const guardian = row.locator('[data-test=due-guardian]');
  await guardian.getByText('欧阳慧琳').waitFor();
  await guardian.getByText(maskPhone(phone)).waitFor();
  await c.shot(page, '42-guardian-due-list');

  // Her record lists the child, who opens from there.
  await page.goto(`${c.base}/#/persons/${mother.body.id}`);
  await page.getByRole('tab', { name: '监护的儿童' }).click();
  const ward = page.locator('[data-test=wards] [data-test=ward-link]', { hasText: '欧阳小禾' });
  await ward.waitFor();
  await c.shot(page, '43-guardian-wards');
  await ward.click();
  await page.waitForURL(new RegExp(`#/persons/${child.body.id}`));

  // The father, registered on the spot from the certificate, becomes the guardian.
  await page.getByRole('tab', { name: '预防接种' }).click();
  await card.locator('[data-test=guardian-change]').click();
  await form.locator('[data-test=guardian-register]').click();
  const register = page.locator('.el-dialog [data-test=register-form]');
  await register.locator('input[name=name]').fill('欧阳建国');
  await register.locator('input[name=id_number]').fill(c.residentId('430528', '1990-02-14', String(301 + n * 2).slice(-3)));
  await register.locator('input[name=phone]').fill('13712340000');
  await c.fillDate(page, register.locator('input[name=arrived_on]'), arrived);
  await register.locator('[data-test=register-submit]').click();
  await register.waitFor({ state: 'detached' });
  await form.locator('[data-test=guardian-phone]').getByText('137****0000').waitFor();
  await form.locator('[data-test=guardian-relation]').getByText('父亲').waitFor(); // follows his sex
  await page.click('[data-test=file-submit]');
  await card.locator('[data-test=file-guardian]').getByRole('link', { name: '欧阳建国' }).waitFor();
  await page.context().close();
}

export default [['a child\'s certificate links a registered mother, and the due list shows her', guardianLinked]];

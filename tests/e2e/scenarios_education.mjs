// Health education (规范 第三版 健康教育服务规范 二(二)): a centre's home card counts its points
// with a shortfall due by today and opens the norms page showing exactly those points; on that
// page a point's lecture shortfall is shown in red; a lecture recorded for the point through the
// form shrinks it by one.

async function lectureShrinks(c) {
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.center);

  // The home card and the page it opens agree.
  await page.goto(`${c.base}/#/`);
  const count = page.locator('[data-test=home-card][data-key="education-behind"] a [data-test=home-card-count]');
  await count.waitFor();
  const value = (await count.innerText()).trim();
  c.expect(/^\d+$/.test(value), `the education card shows ${value}`);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/education/norms') && r.ok()), count.click()]);
  await page.waitForURL(/#\/education\/norms\?.*behind=true/);
  const total = page.locator('[data-test=edu-norms-total]');
  await total.getByText(`共 ${value} 个服务点`, { exact: true }).waitFor({ timeout: 5000 }).catch(async () => {
    throw new Error(`the card counts ${value}, the norms page says "${await total.innerText()}"`);
  });
  c.expect((await page.locator('[data-test=edu-norms] [data-test=edu-point-name]').count()) === Number(value), 'the page shows as many rows as the card counts');

  // A point behind on lectures: its cell is red and names the shortfall.
  const short = page.locator('[data-test=edu-norm-lectures]:not([data-shortfall="0"])').first();
  await short.waitFor();
  const point = await short.getAttribute('data-point');
  const before = Number(await short.getAttribute('data-shortfall'));
  const actual = Number(await short.getAttribute('data-actual'));
  c.expect(before > 0, `a lecture shortfall: ${before}`);
  const color = await short.evaluate((el) => getComputedStyle(el).color);
  const [r, g, b] = (color.match(/\d+/g) || []).map(Number);
  c.expect(r > 150 && g < 100 && b < 100, `the shortfall is red: ${color}`);
  c.expect((await short.innerText()).includes(`−${before}`), `the cell names the shortfall: ${await short.innerText()}`);
  await c.shot(page, 'education-norms');

  // Record a lecture for it through the form the row links to.
  await page.locator(`[data-test="edu-record-${point}"]`).click();
  const form = page.locator('[data-test=edu-form]');
  await form.locator('input[name=edu-topic]').waitFor();
  await form.locator('input[name=edu-topic]').fill('新市民健康素养讲座');
  await form.locator('input[name=edu-organiser]').fill('社区卫生服务中心');
  await form.locator('[data-test=edu-form-attendance] input').fill('35');
  await c.shot(page, 'education-record');
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/education/activities') && r.request().method() === 'POST' && r.status() === 201), page.click('[data-test=edu-form-save]')]);
  await page.getByText('已登记').first().waitFor();
  await page.locator('[data-test=edu-activities]').getByText('新市民健康素养讲座').first().waitFor();

  // Back on the norms page (every point of the year): one lecture more, one less short.
  await page.goto(`${c.base}/#/education/norms`);
  const cell = page.locator(`[data-test=edu-norm-lectures][data-point="${point}"]`);
  await cell.waitFor();
  c.expect(Number(await cell.getAttribute('data-actual')) === actual + 1, `lectures ${await cell.getAttribute('data-actual')}, expected ${actual + 1}`);
  c.expect(Number(await cell.getAttribute('data-shortfall')) === before - 1, `shortfall ${await cell.getAttribute('data-shortfall')}, expected ${before - 1}`);
  await c.shot(page, 'education-norms-after');
  await page.context().close();
}

export default [['education: the home card opens the points behind; a lecture recorded shrinks the lecture shortfall', lectureShrinks]];

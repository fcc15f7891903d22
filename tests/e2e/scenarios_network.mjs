// Browser scenario of the ten-minute service circle's map: the district user's home page counts
// the communities of the district outside the circle, and the card opens the map of the district
// whose ranked table lists exactly that many; the chart is drawn (canvas), and asking for 3 new
// sites lists 3 suggestions and draws them (the suggestion series of the chart).

async function districtSeesTheMapAndSuggestions(c) {
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.district);
  await page.goto(`${c.base}/#/`);
  const card = page.locator('[data-test=home-card][data-key=network-outside]');
  await card.waitFor();
  const count = card.locator('[data-test=home-card-count]');
  await page.waitForFunction((el) => /^\d+$/.test(el.textContent.trim()), await count.elementHandle(), { timeout: 30000 });
  const outside = Number((await count.innerText()).trim());
  c.expect(outside > 0, `the demo leaves communities of the district outside the circle (card: ${outside})`);
  await card.locator('a').click();
  await page.waitForURL(/#\/network\/map\?area=/);

  // The chart is drawn and the ranked table has one row per community outside.
  const chart = page.locator('[data-test=network-map-chart] canvas');
  await chart.first().waitFor();
  const rows = page.locator('[data-test=network-outside] [data-test=network-outside-row]');
  await rows.first().waitFor();
  c.expect((await rows.count()) === outside, `the ranked table has ${await rows.count()} rows, the card said ${outside}`);
  const people = await page.locator('[data-test=network-outside] .el-table__body tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Number(tr.querySelectorAll('td')[3].textContent.trim())),
  );
  c.expect(people.every((p, i) => i === 0 || p <= people[i - 1]), `the table is ranked by people left out: ${people.join(',')}`);
  c.expect((await page.locator('[data-test=network-streets] .el-table__body tbody tr').count()) > 0, 'the per-street coverage is listed');

  // Three suggested sites: listed, and drawn as the chart's suggestion series.
  const k = page.locator('[data-test=network-k] input');
  await k.fill('3');
  await k.press('Tab');
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/placement?') && r.request().method() === 'GET'),
    page.click('[data-test=network-place]'),
  ]);
  c.expect(answer.status() === 200, `the placement answered ${answer.status()}`);
  c.expect(answer.url().includes('k=3'), `the placement asked for 3 sites: ${answer.url()}`);
  const suggestions = page.locator('[data-test=network-suggestions] [data-test=network-suggestion]');
  await suggestions.first().waitFor();
  c.expect((await suggestions.count()) === 3, `${await suggestions.count()} suggestions listed`);
  // The chart's option, as given to ECharts, has the 3 sites in its suggestion series.
  await page.waitForFunction(() => document.querySelector('[data-test=network-map-chart]')?.dataset.suggested === '3', null, { timeout: 10000 }).catch(() => {});
  const drawn = Number(await page.locator('[data-test=network-map-chart]').getAttribute('data-suggested'));
  c.expect(drawn === 3, `the chart draws ${drawn} suggested sites`);
  await c.shot(page, '40-network-map');
  await page.context().close();
}

export default [['the district user opens the ten-minute circle map and asks for 3 suggested sites', districtSeesTheMapAndSuggestions]];

// The pilot cities side by side: a commission user opens 试点城市对比 on a node that city nodes
// report to. The demo city is in no federation, so the page lists the 40 pilot cities of the
// national plan in its order, none reported, and says why.

async function pilotCitiesListed(c) {
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.commission);
  await page.goto(`${c.base}/#/statistics/pilot-cities`);
  const table = page.locator('[data-test=pilot-table]');
  await table.waitFor();
  await page.locator('[data-test=pilot-summary]').getByText('40 个试点城市中已有 0 个报送').waitFor();
  const missing = await table.locator('[data-test=pilot-missing]').count();
  c.expect(missing === 40, `the pilot cities listed as not reported: ${missing}`);
  const text = await table.innerText();
  for (const city of ['朝阳区', '深圳', '克拉玛依']) c.expect(text.includes(city), `the list names ${city}`);
  c.expect(await page.getByText('本节点未加入城市节点联邦').count() === 1, 'the page says the node receives no reports');
  c.expect((await page.locator('[data-test=pilot-scheme-note]').innerText()).includes('国家未公布'), 'the scheme note is shown');
  await c.shot(page, 'pilots-01-list');
  await page.context().close();
}

export default [['pilot cities: the 40 cities of the national plan, none reported on a node outside a federation', pilotCitiesListed]];

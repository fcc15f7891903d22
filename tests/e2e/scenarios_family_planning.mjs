// Browser scenario of the family-planning register (南宁市实施办法 四(七)): a centre user opens the
// register of the women 15–49 of its street, reads the year's free-contraception coverage, hands
// out free condoms to a married woman not yet served this year from her row, and the figure's
// numerator rises by one over the same denominator.

const coverage = (text) => {
  const m = /(\d+)\/(\d+)/.exec(text);
  return m ? { num: Number(m[1]), den: Number(m[2]) } : null;
};

async function centreHandsOutContraceptives(c) {
  const page = await c.newPage(c.browser, c.base);
  await c.signIn(page, c.base, c.center);
  await page.goto(`${c.base}/#/family-planning/register`);
  const free = page.locator('[data-test=fp-coverage-free]');
  const rows = page.locator('[data-test=fp-register] .el-table__body tbody tr');
  await rows.first().waitFor();
  const before = coverage(await free.innerText());
  c.expect(before && before.den > 0, `the register shows a free-contraception coverage (${await free.innerText()})`);
  await page.click('[data-test=fp-only-uncovered]');
  const row = rows.first();
  await row.locator('[data-test=fp-distribute]').waitFor();
  const name = (await row.locator('td').first().innerText()).trim();
  await row.locator('[data-test=fp-distribute]').click();
  await page.locator('[data-test=fp-save]').waitFor();
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/v1/family-planning/persons/')),
    page.click('[data-test=fp-save]'),
  ]);
  c.expect(saved.status() === 201, `recording the distribution answered ${saved.status()}`);
  const expected = `${before.num + 1}/${before.den}`;
  await page.waitForFunction(
    (want) => (document.querySelector('[data-test=fp-coverage-free]')?.textContent || '').includes(want),
    expected,
    { timeout: 15000 },
  );
  const after = coverage(await free.innerText());
  c.expect(after.num === before.num + 1 && after.den === before.den, `coverage ${before.num}/${before.den} → ${after.num}/${after.den} after serving ${name}`);
  await c.shot(page, '40-family-planning-register');
  await page.context().close();
}

export default [['a centre hands out free contraceptives from the register and the coverage rises', centreHandsOutContraceptives]];

-- Population figures per org unit and year for the funding calculation (kpi/funding.h,
-- docs/kpi.md "Evaluation and funding"). 南宁市实施办法 §六(五) budgets "以常住人口为基数 … 参照
-- 户籍人口投入标准": the resident population is the 户籍 population (a figure from the statistics
-- bureau, entered here) plus the migrants. migrant_population NULL means "use the registry's count
-- of floating persons"; a figure entered here overrides it (e.g. the public-security count).
-- Portable SQL as in 0001.
CREATE TABLE population_figures (
  org_code           TEXT NOT NULL REFERENCES org_units(code),
  year               INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  huji_population    INTEGER NOT NULL CHECK (huji_population >= 0),
  migrant_population INTEGER CHECK (migrant_population IS NULL OR migrant_population >= 0),
  source             TEXT NOT NULL DEFAULT '',
  updated_at         TEXT NOT NULL,
  updated_by         TEXT NOT NULL,
  PRIMARY KEY (org_code, year)
);
CREATE INDEX population_figures_year ON population_figures (year, org_code);

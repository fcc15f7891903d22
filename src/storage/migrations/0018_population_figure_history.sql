-- Every change of a population figure (kpi/evaluation_service.h, docs/kpi.md "Population
-- figures"): who changed which unit's figure of which year, when, from what to what. The figure
-- itself stays in population_figures (0006); a row here is written in the same transaction as each
-- set or import of a figure, the first one with no previous value. Portable SQL as in 0001.
CREATE TABLE population_figure_history (
  id                      INTEGER PRIMARY KEY,
  org_code                TEXT NOT NULL REFERENCES org_units(code),
  year                    INTEGER NOT NULL,
  old_huji_population     INTEGER,
  old_migrant_population  INTEGER,
  new_huji_population     INTEGER NOT NULL,
  new_migrant_population  INTEGER,
  old_source              TEXT,
  new_source              TEXT NOT NULL DEFAULT '',
  via                     TEXT NOT NULL,
  changed_at              TEXT NOT NULL,
  changed_by              TEXT NOT NULL
);
CREATE INDEX population_figure_history_unit ON population_figure_history (org_code, year, id);

// Who did something, as the server names them: `<field>_name` / `<field>_name_en` next to a stored
// actor (a user's display name, 系统导入 / system import for the command line), falling back to the
// stored value only when the server sent no name.
export function actorName(row, field, locale) {
  if (!row) return '';
  const en = locale === 'en' ? row[`${field}_name_en`] : '';
  return en || row[`${field}_name`] || row[field] || '';
}

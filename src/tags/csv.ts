import { inputError, type Where } from './errors.js';

/**
 * Splits one line of a list input (`type=match,"pattern=\d,\d"`) into trimmed fields.
 * A field may be double-quoted to hold commas (`""` is a literal quote); quotes inside an
 * unquoted field are kept as written, as metadata-action users expect. Empty fields are dropped.
 */
export function splitFields(line: string, input: string): string[] {
  const where: Where = { input, line };
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length)
          throw inputError(where, 'a double quote is not closed', 'a closing "');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (i < line.length && /\s/.test(line[i])) i++;
      if (i < line.length && line[i] !== ',') {
        throw inputError(
          where,
          `unexpected text after a closing quote`,
          'a comma after a quoted field',
        );
      }
    } else {
      while (i < line.length && line[i] !== ',') field += line[i++];
    }
    field = field.trim();
    if (field !== '') fields.push(field);
    i++; // the comma (or one past the end)
  }
  return fields;
}

/** Splits `key=value` at the first `=`; a field without `=` has no key. */
export function splitKeyValue(field: string): { key?: string; value: string } {
  const at = field.indexOf('=');
  if (at < 0) return { value: field };
  return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() };
}

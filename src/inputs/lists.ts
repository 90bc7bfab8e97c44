// List inputs read the way docker/build-push-action reads them, so that pasted `with:` blocks
// keep their meaning: records are lines, fields are comma separated, and a field that starts
// with a double quote may hold commas and line breaks (`""` is a quote). A quote inside an
// unquoted field is kept as written.

/** Splits a list input into records (lines), each a list of fields. Whitespace-only records are dropped. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const endField = (): void => {
    record.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (record.some((f) => f.trim() !== '')) records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
          continue;
        }
        const next = text[i + 1];
        if (next === undefined || next === ',' || next === '\n' || next === '\r') {
          inQuotes = false;
          continue;
        }
      }
      field += c;
      continue;
    }
    if (c === '"' && !quoted && field.trim() === '') {
      // Leading blanks before an opening quote are indentation, not part of the value.
      field = '';
      quoted = true;
      inQuotes = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\n') {
      endRecord();
    } else if (c === '\r' && text[i + 1] === '\n') {
      continue;
    } else {
      field += c;
    }
  }
  endRecord();
  return records;
}

export interface ListOptions {
  /** Keep a record's commas: one item per line (build-push-action's `List`); else `List/CSV`. */
  ignoreComma?: boolean;
  /** Keep blanks around items (secrets keep their values as written). */
  keepWhitespace?: boolean;
}

/**
 * The items of a list input: one per line, and with `ignoreComma` unset also one per comma.
 * Lines starting with `#` are comments. Empty items are dropped.
 */
export function listItems(text: string, options: ListOptions = {}): string[] {
  const items: string[] = [];
  for (const record of csvRecords(text)) {
    if (record[0].trimStart().startsWith('#')) continue;
    if (options.ignoreComma) items.push(record.join(','));
    else items.push(...record);
  }
  return items
    .map((item) => (options.keepWhitespace ? item : item.trim()))
    .filter((item) => item.trim() !== '');
}

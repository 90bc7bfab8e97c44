/** Where a value came from, for error messages: the action input and the line it was on. */
export interface Where {
  input: string;
  line: string;
}

/**
 * Builds the one-line error every part of the engine throws:
 * `<input>: <problem> in "<line>"; expected <expected>`.
 */
export function inputError(where: Where, problem: string, expected?: string): Error {
  const at = where.line === '' ? '' : ` in "${where.line}"`;
  return new Error(`${where.input}: ${problem}${at}${expected ? `; expected ${expected}` : ''}`);
}

/** Compiles a user-written regular expression, turning a syntax error into an input error. */
export function compileRegExp(source: string, where: Where, flags = ''): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    // Node says "Invalid regular expression: /v(/: Unterminated group"; the last part is the useful one.
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.slice(message.lastIndexOf(': ') + 2);
    throw inputError(
      where,
      `invalid regular expression "${source}" (${reason})`,
      'a JavaScript regular expression',
    );
  }
}

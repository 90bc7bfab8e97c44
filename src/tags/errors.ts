import { createContext, Script } from 'node:vm';
import { errorText } from '../error-text.js';
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
    const message = errorText(error);
    const reason = message.slice(message.lastIndexOf(': ') + 2);
    throw inputError(
      where,
      `invalid regular expression "${source}" (${reason})`,
      'a JavaScript regular expression',
    );
  }
}

/** How long one match of a user-written regular expression may take. */
export const REGEXP_LIMIT_MS = 1000;

const sandbox = createContext({ re: /./, text: '' });
const execScript = new Script('re.exec(text)');

/**
 * `re.exec(text)`, bounded in time: a user-written expression that backtracks without end
 * (`^v(\d+)+$` on a long tag) fails with an input error instead of holding the job.
 */
export function boundedExec(re: RegExp, text: string, where: Where): RegExpExecArray | null {
  sandbox.re = re;
  sandbox.text = text;
  try {
    return execScript.runInContext(sandbox, { timeout: REGEXP_LIMIT_MS }) as RegExpExecArray | null;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    throw inputError(
      where,
      `the regular expression "${re.source}" takes more than ${REGEXP_LIMIT_MS / 1000} s on "${text}"`,
      'an expression without nested repetition such as (\\d+)+, which backtracks without end',
    );
  } finally {
    sandbox.re = /./;
    sandbox.text = '';
  }
}

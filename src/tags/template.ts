import { formatDate, isTimeZone } from './dates.js';
import { inputError, type Where } from './errors.js';

/** An argument of an expression: a quoted string, or a bare word (a variable reference). */
export type Arg = { kind: 'string'; value: string } | { kind: 'word'; name: string };

/** One `{{name arg key=value}}` expression. */
export interface Expression {
  text: string;
  name: string;
  args: Arg[];
  hash: Record<string, Arg>;
}

type Part = string | Expression;

/** A helper such as `date`: computes a string from its arguments. */
export type Helper = (
  expr: Expression,
  resolve: (arg: Arg) => string | undefined,
  where: Where,
) => string;

/** The names an expression may use: plain variables and helpers. */
export interface Scope {
  vars: Record<string, string>;
  helpers: Record<string, Helper>;
}

const TOKEN =
  /\s*(?:([A-Za-z_][\w-]*)=(?:'([^']*)'|"([^"]*)"|([^\s'"]+))|'([^']*)'|"([^"]*)"|([^\s'"=]+))/y;

/** Splits a template into literal text and expressions; throws on a malformed `{{...}}`. */
export function parseTemplate(template: string, where: Where): Part[] {
  const parts: Part[] = [];
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) break;
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close < 0)
      throw inputError(where, `"{{" without a closing "}}"`, 'expressions written as {{name}}');
    parts.push(parseExpression(rest.slice(open, close + 2), where));
    rest = rest.slice(close + 2);
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

function parseExpression(text: string, where: Where): Expression {
  const inner = text.slice(2, -2).trim();
  const tokens: Array<{ key?: string; arg: Arg }> = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < inner.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(inner);
    if (!m) {
      throw inputError(
        where,
        `cannot read ${text} at "${inner.slice(start).trim()}"`,
        `{{name 'text' key='value'}}`,
      );
    }
    if (m[1] !== undefined) {
      const value = m[2] ?? m[3];
      tokens.push({
        key: m[1],
        arg: value !== undefined ? { kind: 'string', value } : { kind: 'word', name: m[4] },
      });
    } else if (m[5] !== undefined || m[6] !== undefined) {
      tokens.push({ arg: { kind: 'string', value: m[5] ?? m[6] } });
    } else {
      tokens.push({ arg: { kind: 'word', name: m[7] } });
    }
  }
  const head = tokens.shift();
  if (!head || head.key !== undefined || head.arg.kind !== 'word') {
    throw inputError(
      where,
      `expression ${text} does not start with a name`,
      'for example {{branch}}',
    );
  }
  const expr: Expression = { text, name: head.arg.name, args: [], hash: {} };
  for (const token of tokens) {
    if (token.key === undefined) expr.args.push(token.arg);
    else expr.hash[token.key] = token.arg;
  }
  return expr;
}

/** Lists the expressions of a template (for deciding whether a value was written literally). */
export function expressionsOf(template: string, where: Where): Expression[] {
  return parseTemplate(template, where).filter((p): p is Expression => typeof p !== 'string');
}

/** True when the template has at least one `{{...}}` expression. */
export function hasExpressions(template: string): boolean {
  return template.includes('{{');
}

/** Renders a template against a scope. Unknown names are errors, not empty strings. */
export function render(template: string, scope: Scope, where: Where): string {
  if (!hasExpressions(template)) return template;
  const resolve = (arg: Arg): string | undefined =>
    arg.kind === 'string' ? arg.value : scope.vars[arg.name];
  return parseTemplate(template, where)
    .map((part) => {
      if (typeof part === 'string') return part;
      const helper = scope.helpers[part.name];
      if (helper) return helper(part, resolve, where);
      if (Object.hasOwn(scope.vars, part.name)) {
        if (part.args.length > 0 || Object.keys(part.hash).length > 0) {
          throw inputError(where, `${part.text} takes no arguments`, `{{${part.name}}}`);
        }
        return scope.vars[part.name];
      }
      const known = [...Object.keys(scope.vars), ...Object.keys(scope.helpers)];
      throw inputError(where, `unknown expression ${part.text}`, `one of ${known.join(', ')}`);
    })
    .join('');
}

/**
 * A date helper (`{{date 'YYYYMMDD' tz='Asia/Tokyo'}}`). The format is a quoted moment-style
 * format; a bare word is a variable reference, as in Handlebars, so `{{date YYYYMMDD}}` means
 * "no format" and renders ISO 8601, which is what metadata-action users get today.
 */
export function dateHelper(date: Date): Helper {
  return (expr, resolve, where) => {
    if (expr.args.length > 1) {
      throw inputError(where, `${expr.text} has more than one format`, `{{${expr.name} 'FORMAT'}}`);
    }
    for (const key of Object.keys(expr.hash)) {
      if (key !== 'tz') {
        throw inputError(where, `${expr.text} has an unknown option "${key}"`, `tz='<time zone>'`);
      }
    }
    const format = expr.args.length === 1 ? resolve(expr.args[0]) : undefined;
    const tz = expr.hash.tz === undefined ? 'UTC' : (resolve(expr.hash.tz) ?? '');
    if (!isTimeZone(tz)) {
      throw inputError(
        where,
        `${expr.text} has an unknown time zone "${tz}"`,
        'an IANA time zone name such as UTC or Asia/Tokyo',
      );
    }
    return formatDate(date, format, tz);
  };
}

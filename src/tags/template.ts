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

/** A Handlebars block: `{{#if name}}...{{else}}...{{/if}}`, or `#unless`. */
export interface Block {
  text: string;
  helper: 'if' | 'unless';
  arg: Arg;
  then: Part[];
  otherwise: Part[];
}

type Part = string | Expression | Block;

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

const BLOCK_HELPERS = ['if', 'unless'];

/**
 * Splits a template into literal text, expressions and blocks (`{{#if x}}a{{else}}b{{/if}}`,
 * `{{#unless x}}...{{/unless}}`); throws on a malformed `{{...}}` or an unclosed block.
 */
export function parseTemplate(template: string, where: Where): Part[] {
  const root: Part[] = [];
  const open: Array<{ block: Block; parts: Part[]; inElse: boolean }> = [];
  const current = (): Part[] => {
    const top = open[open.length - 1];
    return top ? (top.inElse ? top.block.otherwise : top.block.then) : root;
  };
  let rest = template;
  for (;;) {
    const start = rest.indexOf('{{');
    if (start < 0) break;
    if (start > 0) current().push(rest.slice(0, start));
    const close = rest.indexOf('}}', start + 2);
    if (close < 0)
      throw inputError(where, `"{{" without a closing "}}"`, 'expressions written as {{name}}');
    const text = rest.slice(start, close + 2);
    rest = rest.slice(close + 2);
    const inner = text.slice(2, -2).trim();
    if (inner.startsWith('#')) {
      const expr = parseExpression(`{{${inner.slice(1)}}}`, where);
      if (!BLOCK_HELPERS.includes(expr.name) || expr.args.length !== 1) {
        throw inputError(
          where,
          `unknown block ${text}`,
          '{{#if name}}...{{/if}} or {{#unless name}}...{{/unless}}, with {{else}} if need be',
        );
      }
      const block: Block = {
        text,
        helper: expr.name as Block['helper'],
        arg: expr.args[0],
        then: [],
        otherwise: [],
      };
      current().push(block);
      open.push({ block, parts: block.then, inElse: false });
    } else if (inner === 'else') {
      const top = open[open.length - 1];
      if (!top || top.inElse) {
        throw inputError(
          where,
          `{{else}} outside an {{#if}} or {{#unless}} block`,
          '{{#if name}}a{{else}}b{{/if}}',
        );
      }
      top.inElse = true;
    } else if (inner.startsWith('/')) {
      const top = open.pop();
      const name = inner.slice(1).trim();
      if (!top || top.block.helper !== name) {
        throw inputError(
          where,
          `${text} closes no open block`,
          top
            ? `{{/${top.block.helper}}} to close ${top.block.text}`
            : 'a block opened with {{#if name}}',
        );
      }
    } else {
      current().push(parseExpression(text, where));
    }
  }
  if (rest !== '') current().push(rest);
  if (open.length > 0) {
    const top = open[open.length - 1];
    throw inputError(where, `${top.block.text} is not closed`, `{{/${top.block.helper}}}`);
  }
  return root;
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

/** Lists the expressions of a template, inside blocks too (for deciding what a pattern uses). */
export function expressionsOf(template: string, where: Where): Expression[] {
  const found: Expression[] = [];
  const walk = (parts: Part[]): void => {
    for (const part of parts) {
      if (typeof part === 'string') continue;
      if ('helper' in part) {
        if (part.arg.kind === 'word')
          found.push({ text: part.text, name: part.arg.name, args: [], hash: {} });
        walk(part.then);
        walk(part.otherwise);
      } else found.push(part);
    }
  };
  walk(parseTemplate(template, where));
  return found;
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
  const known = (): string =>
    [...Object.keys(scope.vars), ...Object.keys(scope.helpers)].join(', ');
  const renderParts = (parts: Part[]): string => parts.map((part) => renderPart(part)).join('');
  const renderPart = (part: Part): string => {
    if (typeof part === 'string') return part;
    if ('helper' in part) {
      if (part.arg.kind === 'word' && !Object.hasOwn(scope.vars, part.arg.name)) {
        throw inputError(where, `unknown expression ${part.text}`, `one of ${known()}`);
      }
      // "false" is false: {{#if is_default_branch}} means what it says.
      const value = resolve(part.arg) ?? '';
      const truthy = value !== '' && value !== 'false';
      return renderParts((part.helper === 'if') === truthy ? part.then : part.otherwise);
    }
    const helper = scope.helpers[part.name];
    if (helper) return helper(part, resolve, where);
    if (Object.hasOwn(scope.vars, part.name)) {
      if (part.args.length > 0 || Object.keys(part.hash).length > 0) {
        throw inputError(where, `${part.text} takes no arguments`, `{{${part.name}}}`);
      }
      return scope.vars[part.name];
    }
    throw inputError(where, `unknown expression ${part.text}`, `one of ${known()}`);
  };
  return renderParts(parseTemplate(template, where));
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

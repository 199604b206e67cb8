// Parser for the C expressions a debugger evaluates (watch, hover, console): literals,
// identifiers, registers ($pc, $a0), member access, indexing, unary and binary operators,
// the conditional operator, casts, sizeof, and gdb's `array@count`. No assignments or calls:
// evaluating an expression never changes the program.

export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

/** A type as written in a cast or sizeof: a base name, then `*`s and `[N]`s. */
export interface TypeSpec {
  /** `int`, `unsigned int`, `struct point`, `uint32_t`, ... normalised to single spaces. */
  readonly base: string;
  readonly qualifiers: readonly string[];
  readonly pointers: number;
  readonly arrays: readonly number[];
}

export type Expr =
  | { readonly kind: 'number'; readonly value: bigint; readonly unsigned: boolean; readonly long: number; readonly decimal: boolean }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'char'; readonly value: number }
  | { readonly kind: 'string'; readonly value: Uint8Array }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'register'; readonly name: string }
  | { readonly kind: 'member'; readonly object: Expr; readonly name: string; readonly arrow: boolean }
  | { readonly kind: 'index'; readonly object: Expr; readonly index: Expr }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'conditional'; readonly test: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly kind: 'cast'; readonly type: TypeSpec; readonly operand: Expr }
  | { readonly kind: 'sizeof-type'; readonly type: TypeSpec }
  | { readonly kind: 'sizeof-expr'; readonly operand: Expr };

interface Token {
  readonly kind: 'num' | 'float' | 'char' | 'string' | 'ident' | 'reg' | 'punct' | 'end';
  readonly text: string;
  readonly pos: number;
}

const PUNCTUATORS = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^',
  '~', '!', '<', '>', '(', ')', '[', ']', '.', '?', ':', '@', ','];

const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', '_Bool',
  'bool', 'struct', 'union', 'enum', 'const', 'volatile']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?[fF]?|[0-9]+[eE][-+]?[0-9]+[fF]?|[0-9]+)([uUlL]*)/.exec(text.slice(i));
      if (m === null) throw new EvalError(`Invalid number "${text.slice(i).split(/\s/)[0]}".`);
      const isFloat = /[.eE]/.test(m[1]) && !/^0[xX]/.test(m[1]);
      tokens.push({ kind: isFloat ? 'float' : 'num', text: m[0], pos: start });
      i += m[0].length;
      if (/[A-Za-z_0-9]/.test(text[i] ?? '')) throw new EvalError(`Invalid number "${text.slice(start).split(/[\s)\]]/)[0]}".`);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z_0-9]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (c === '$') {
      const m = /^\$[A-Za-z_0-9]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'reg', text: m[0].slice(1), pos: start });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new EvalError(c === "'" ? 'Unmatched single quote.' : 'Unterminated string in expression.');
      tokens.push({ kind: c === "'" ? 'char' : 'string', text: text.slice(i + 1, j), pos: start });
      i = j + 1;
      continue;
    }
    const p = PUNCTUATORS.find((x) => text.startsWith(x, i));
    if (p === undefined) throw new EvalError(`Invalid character '${c}' in expression.`);
    tokens.push({ kind: 'punct', text: p, pos: start });
    i += p.length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

/** The bytes of a C char or string literal body, with escapes decoded. */
function unescape(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out.push(body.charCodeAt(i) & 0xff); continue; }
    const n = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };
    if (n in simple) { out.push(simple[n]); continue; }
    if (n === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 1));
      if (m === null) throw new EvalError('\\x escape without a following hex digit');
      out.push(parseInt(m[0], 16) & 0xff);
      i += m[0].length;
      continue;
    }
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i)) as RegExpExecArray;
      out.push(parseInt(m[0], 8) & 0xff);
      i += m[0].length - 1;
      continue;
    }
    out.push(n.charCodeAt(0) & 0xff);
  }
  return out;
}

/**
 * Parses an expression. `isTypeName` says whether an identifier names a type (a typedef), which
 * decides whether `(x) y` is a cast.
 */
export function parseExpression(text: string, isTypeName: (name: string) => boolean): Expr {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (o = 0): Token => tokens[Math.min(at + o, tokens.length - 1)];
  const next = (): Token => tokens[at++];
  const isPunct = (t: Token, p: string): boolean => t.kind === 'punct' && t.text === p;
  const syntaxError = (): never => {
    const rest = text.slice(peek().pos);
    throw new EvalError(rest === '' ? 'A syntax error in expression, near `\'.' : `A syntax error in expression, near \`${rest}'.`);
  };
  const expect = (p: string): void => {
    if (!isPunct(peek(), p)) syntaxError();
    next();
  };

  const startsType = (o: number): boolean => {
    const t = peek(o);
    if (t.kind !== 'ident') return false;
    return TYPE_WORDS.has(t.text) || isTypeName(t.text);
  };

  const typeSpec = (): TypeSpec => {
    const qualifiers: string[] = [];
    const words: string[] = [];
    for (;;) {
      const t = peek();
      if (t.kind !== 'ident') break;
      if (t.text === 'const' || t.text === 'volatile') { qualifiers.push(next().text); continue; }
      if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') {
        next();
        const tag = next();
        if (tag.kind !== 'ident') syntaxError();
        words.push(`${t.text} ${tag.text}`);
        continue;
      }
      if (TYPE_WORDS.has(t.text)) { words.push(next().text); continue; }
      if (words.length === 0 && isTypeName(t.text)) { words.push(next().text); continue; }
      break;
    }
    if (words.length === 0) syntaxError();
    let pointers = 0;
    for (;;) {
      if (isPunct(peek(), '*')) { next(); pointers++; continue; }
      if (peek().kind === 'ident' && (peek().text === 'const' || peek().text === 'volatile')) { next(); continue; }
      break;
    }
    const arrays: number[] = [];
    while (isPunct(peek(), '[')) {
      next();
      const n = next();
      if (n.kind !== 'num') syntaxError();
      arrays.push(Number(BigInt(n.text.replace(/[uUlL]+$/, ''))));
      expect(']');
    }
    return { base: words.join(' '), qualifiers, pointers, arrays };
  };

  const primary = (): Expr => {
    if (startsType(0)) {
      typeSpec();
      throw new EvalError('Attempt to use a type name as an expression');
    }
    const t = next();
    switch (t.kind) {
      case 'num': {
        const suffix = (/[uUlL]*$/.exec(t.text) as RegExpExecArray)[0].toLowerCase();
        const digits = t.text.slice(0, t.text.length - suffix.length);
        const value = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
        return { kind: 'number', value, unsigned: suffix.includes('u'), long: (suffix.match(/l/g) ?? []).length, decimal: !/^0./.test(digits) };
      }
      case 'float': return { kind: 'float', value: parseFloat(t.text.replace(/[fF]$/, '')) };
      case 'char': {
        const b = unescape(t.text);
        if (b.length !== 1) throw new EvalError('Invalid character constant.');
        return { kind: 'char', value: b[0] };
      }
      case 'string': return { kind: 'string', value: Uint8Array.from([...unescape(t.text), 0]) };
      case 'ident':
        if (t.text === 'sizeof') { at--; return unary(); }
        return { kind: 'ident', name: t.text };
      case 'reg': return { kind: 'register', name: t.text };
      case 'punct':
        if (t.text === '(') {
          const e = expression();
          expect(')');
          return e;
        }
        at--;
        return syntaxError();
      default:
        at--;
        return syntaxError();
    }
  };

  const postfix = (): Expr => {
    let e = primary();
    for (;;) {
      const t = peek();
      if (isPunct(t, '[')) {
        next();
        const index = expression();
        expect(']');
        e = { kind: 'index', object: e, index };
      } else if (isPunct(t, '.') || isPunct(t, '->')) {
        next();
        const name = next();
        if (name.kind !== 'ident') { at--; syntaxError(); }
        e = { kind: 'member', object: e, name: name.text, arrow: t.text === '->' };
      } else {
        return e;
      }
    }
  };

  const unary = (): Expr => {
    const t = peek();
    if (t.kind === 'punct' && ['-', '+', '~', '!', '*', '&'].includes(t.text)) {
      next();
      return { kind: 'unary', op: t.text, operand: unary() };
    }
    if (t.kind === 'ident' && t.text === 'sizeof') {
      next();
      if (isPunct(peek(), '(') && startsType(1)) {
        next();
        const type = typeSpec();
        expect(')');
        return { kind: 'sizeof-type', type };
      }
      return { kind: 'sizeof-expr', operand: unary() };
    }
    if (isPunct(t, '(') && startsType(1)) {
      next();
      const type = typeSpec();
      expect(')');
      return { kind: 'cast', type, operand: unary() };
    }
    return postfix();
  };

  const LEVELS: string[][] = [['@'], ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  const binary = (level: number): Expr => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t.kind !== 'punct' || !LEVELS[level].includes(t.text)) return left;
      next();
      left = { kind: 'binary', op: t.text, left, right: binary(level + 1) };
    }
  };

  const conditional = (): Expr => {
    // gdb binds `@` loosest of all but the comma; the conditional sits just inside it.
    const test = binary(1);
    if (!isPunct(peek(), '?')) return test;
    next();
    const then = expression();
    expect(':');
    return { kind: 'conditional', test, then, else: conditional() };
  };

  const expression = (): Expr => {
    let left = conditional();
    while (isPunct(peek(), '@')) {
      next();
      left = { kind: 'binary', op: '@', left, right: conditional() };
    }
    return left;
  };

  if (peek().kind === 'end') throw new EvalError('Argument required (expression to compute).');
  const e = expression();
  if (peek().kind !== 'end') syntaxError();
  return e;
}

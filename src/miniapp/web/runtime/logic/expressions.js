(function () {
"use strict";
// A classic script (the logic layer's worker loads it with importScripts): it defines
// `self.MiniappExpressions = {evaluate, toText, renderValue}`.
//
// Evaluates the View IR's expressions and Values (docs/bundle-format.md, "View IR").
//
// The compiler turns every `{{ }}` binding into a JSON AST, so the view interprets data and never
// compiles code: no eval, no Function constructor, no `with`. It is pure (no DOM), so it can be
// tested on its own and used by any renderer.
//
// A scope is `{data, vars, wxs}`: `data` the page or component data (for a template body, its
// `data` object), `vars` the loop variables in force (optional), `wxs` the WXS modules of the
// scope file by name (optional).

// Names that lead from a value to its prototype or constructor. Reading them gives undefined, so
// mini-program data cannot reach `Object.prototype` or `Function` (`m.f.constructor("code")` would
// otherwise compile code through a WXS call).
const BLOCKED = new Set(["__proto__", "constructor", "prototype"]);

const hasOwn = Object.prototype.hasOwnProperty;

// `obj[key]` as JavaScript reads it, except that it never throws: a missing path (a property of
// undefined or null) is undefined, as WeChat renders missing data as nothing, and so is a getter
// that throws (only WXS values have getters; data is plain JSON).
function member(obj, key) {
  if (obj === undefined || obj === null) return undefined;
  // Converted once, as JavaScript does, so the name checked is the name read.
  const name = typeof key === "string" || typeof key === "symbol" ? key : String(key);
  if (BLOCKED.has(name)) return undefined;
  try {
    return obj[name];
  } catch {
    return undefined;
  }
}

// Only own properties count: a field of the data is what setData put there, not something
// inherited such as `toString`.
function own(obj, name) {
  if (obj === undefined || obj === null || BLOCKED.has(name) || !hasOwn.call(obj, name)) {
    return undefined;
  }
  return obj[name];
}

// A loop variable shadows a data field of the same name even while its value is undefined.
function lookup(scope, name) {
  const vars = scope.vars;
  if (vars !== undefined && vars !== null && hasOwn.call(vars, name)) return own(vars, name);
  return own(scope.data, name);
}

// JavaScript spreads any iterable; it throws on anything else, which here spreads nothing so a
// missing list cannot break the render.
function spreadInto(out, value) {
  if (value === undefined || value === null) return;
  if (typeof value[Symbol.iterator] !== "function") return;
  for (const item of value) out.push(item);
}

function items(list, scope) {
  const out = [];
  for (const item of list) {
    if (item[0] === "spread") spreadInto(out, evaluate(item[1], scope));
    else out.push(evaluate(item, scope));
  }
  return out;
}

// Properties are defined, not assigned, like an object literal's spread does: an own `__proto__`
// key (JSON.parse makes those) stays a plain property instead of replacing the prototype. So a
// literal `{__proto__: x}` gives a property here, where JavaScript would set the prototype.
function put(out, key, value) {
  Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
}

function object(entries, scope) {
  const out = {};
  for (const [key, expr] of entries) {
    const value = evaluate(expr, scope);
    if (key !== null) {
      put(out, key, value);
    } else if (value !== undefined && value !== null) {
      // `{...value}` copies own enumerable properties of anything (strings give their indexes).
      const copy = { ...value };
      for (const name of Object.keys(copy)) put(out, name, copy[name]);
    }
  }
  return out;
}

// The compiler allows calls only of WXS functions (the callee's root is a WXS module); the check
// is repeated here so a hand-made IR cannot call anything else. `this` is the object the function
// was read from, as in `m.f(x)`. An exception thrown by the WXS function itself propagates: it is
// the mini-program's bug and the renderer reports it.
function call(callee, args, scope) {
  let root = callee;
  while (root[0] === "mem" || root[0] === "call") root = root[1];
  if (root[0] !== "wxs") return undefined;
  let self;
  let fn;
  if (callee[0] === "mem") {
    self = evaluate(callee[1], scope);
    fn = member(self, evaluate(callee[2], scope));
  } else {
    fn = evaluate(callee, scope);
  }
  if (typeof fn !== "function") return undefined;
  return Reflect.apply(fn, self, items(args, scope));
}

function unary(op, x) {
  switch (op) {
    case "!":
      return !x;
    case "-":
      return -x;
    case "+":
      return +x;
    case "~":
      return ~x;
    case "typeof":
      return typeof x;
    default:
      throw new TypeError(`unknown unary operator ${op}`);
  }
}

function binary(op, a, b) {
  switch (op) {
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    case "==":
      return a == b;
    case "!=":
      return a != b;
    case "===":
      return a === b;
    case "!==":
      return a !== b;
    case "&":
      return a & b;
    case "^":
      return a ^ b;
    case "|":
      return a | b;
    default:
      throw new TypeError(`unknown binary operator ${op}`);
  }
}

/**
 * The value of an expression AST in a scope, following JavaScript except that member access never
 * throws. Operators on plain data never throw either; only WXS code (a call, or a WXS value with a
 * throwing `valueOf`) can. Malformed IR (an unknown form or operator) is a TypeError: it means the
 * compiler and the runtime disagree, which no data can cause.
 */
function evaluate(expr, scope) {
  switch (expr[0]) {
    case "lit":
      return expr[1];
    case "undef":
      return undefined;
    case "id":
      return lookup(scope, expr[1]);
    case "wxs":
      return own(scope.wxs, expr[1]);
    case "mem":
      return member(evaluate(expr[1], scope), evaluate(expr[2], scope));
    case "un":
      return unary(expr[1], evaluate(expr[2], scope));
    case "bin": {
      const op = expr[1];
      const a = evaluate(expr[2], scope);
      // Short-circuit: the right side is evaluated only when JavaScript would (it may call WXS).
      if (op === "&&") return a ? evaluate(expr[3], scope) : a;
      if (op === "||") return a ? a : evaluate(expr[3], scope);
      if (op === "??") return a === undefined || a === null ? evaluate(expr[3], scope) : a;
      return binary(op, a, evaluate(expr[3], scope));
    }
    case "cond":
      return evaluate(expr[1], scope) ? evaluate(expr[2], scope) : evaluate(expr[3], scope);
    case "arr":
      return items(expr[1], scope);
    case "obj":
      return object(expr[1], scope);
    case "call":
      return call(expr[1], expr[2], scope);
    default:
      throw new TypeError(`unknown expression form ${expr[0]}`);
  }
}

/**
 * A value as text: undefined is empty (a missing data path shows nothing), anything else is
 * `String(value)` (null is "null", [1, 2] is "1,2").
 */
function toText(value) {
  return value === undefined ? "" : String(value);
}

/**
 * The value of a Value: a static string as is, `["x", expr]` the expression's value with its type
 * kept (so `{{false}}` is false), `["cat", parts]` the parts joined as text.
 */
function renderValue(value, scope) {
  if (typeof value === "string") return value;
  if (value[0] === "x") return evaluate(value[1], scope);
  if (value[0] === "cat") {
    let text = "";
    for (const part of value[1]) {
      text += typeof part === "string" ? part : toText(evaluate(part, scope));
    }
    return text;
  }
  throw new TypeError(`unknown value form ${value[0]}`);
}

self.MiniappExpressions = Object.freeze({ evaluate, toText, renderValue });
})();

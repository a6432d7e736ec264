/**
 * JavaScript evaluated inside QuickJS before each cell (file name `alm.js`). It builds `alm` and
 * `console` on top of ONE host primitive, `host(op, text) → text`, which it keeps in a closure:
 * every value going out is encoded here into JSON text (getters, proxies and toString traps run
 * inside the sandbox, against its own limits), every value coming back is parsed here. The host
 * only ever receives strings, and validates them again (alm-host.ts). Intrinsics are captured
 * first so a cell that replaces JSON or Object.keys only breaks its own calls.
 *
 * Returns the internals the worker needs: collect(namespace) and whereThrown(value).
 */
export const PRELUDE = String.raw`(function (host, inputsText) {
  'use strict';
  const g = globalThis;
  const stringify = JSON.stringify, parse = JSON.parse;
  const { freeze, defineProperty, keys, getPrototypeOf, create } = Object;
  const ObjectProto = Object.prototype;
  const isArray = Array.isArray;
  const isFinite = Number.isFinite;
  const ErrorC = Error, TypeErrorC = TypeError;
  const toISO = Date.prototype.toISOString, DateC = Date;
  const WeakMapC = WeakMap;
  const mapGet = WeakMap.prototype.get, mapSet = WeakMap.prototype.set, mapHas = WeakMap.prototype.has;
  const reflectApply = Reflect.apply;
  const apply = (fn, self, args) => reflectApply(fn, self, args);

  const tables = new WeakMapC();
  const call = (op, payload) => {
    const reply = parse(host(op, stringify(payload)));
    if (!reply.ok) throw new ErrorC(reply.message);
    return reply.value;
  };

  const describe = (v) => v === null ? 'null' : isArray(v) ? 'an array' : typeof v === 'object' ? ((getPrototypeOf(v) && getPrototypeOf(v).constructor && getPrototypeOf(v).constructor.name) || 'an object') : typeof v;

  /** value → JSON-able tree; anything else fails naming its path. */
  function encode(value, path, ancestors, forExport) {
    switch (typeof value) {
      case 'string': case 'boolean': return value;
      case 'undefined': return null;
      case 'number':
        if (!isFinite(value)) throw new TypeErrorC(path + ' is ' + value + '; values leaving a cell must be finite numbers (or null)');
        return value;
      case 'bigint': throw new TypeErrorC(path + ' is a bigint; convert it with Number(…)');
      case 'symbol': throw new TypeErrorC(path + ' is a symbol; only data can leave a cell');
      case 'function': throw new TypeErrorC(path + ' is a function; only data can leave a cell (numbers, strings, arrays, plain objects, tables)');
    }
    if (value === null) return null;
    if (apply(mapHas, tables, [value])) return { $almTable: apply(mapGet, tables, [value]) };
    if (value instanceof DateC) return apply(toISO, value, []);
    if (ancestors.length > 64) throw new TypeErrorC(path + ' is nested more than 64 levels deep');
    if (ancestors.includes(value)) throw new TypeErrorC(path + ' refers back to itself (a cycle); only trees of data can leave a cell');
    ancestors.push(value);
    try {
      if (isArray(value)) {
        const out = [];
        for (let i = 0; i < value.length; i++) out.push(encode(value[i], path + '[' + i + ']', ancestors, forExport));
        return out;
      }
      const proto = getPrototypeOf(value);
      if (proto !== ObjectProto && proto !== null) throw new TypeErrorC(path + ' is ' + describe(value) + '; only plain objects, arrays, numbers, strings, booleans, null, dates and tables can leave a cell');
      const out = {};
      for (const key of keys(value)) {
        if (key === '__proto__' || key === '$almTable') throw new TypeErrorC(path + ' has the reserved key "' + key + '"');
        const item = value[key];
        if (item === undefined) continue;
        defineProperty(out, key, { value: encode(item, path + '.' + key, ancestors, forExport), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      ancestors.pop();
    }
  }

  /** JSON from the host → values, table refs → handles. */
  function revive(value) {
    if (isArray(value)) return value.map(revive);
    if (value !== null && typeof value === 'object') {
      const k = keys(value);
      if (k.length === 1 && k[0] === '$almTable' && typeof value.$almTable === 'string') return tableHandle(value.$almTable);
      for (const key of k) value[key] = revive(value[key]);
    }
    return value;
  }

  const idOf = (handle) => {
    if (handle === null || typeof handle !== 'object' || !apply(mapHas, tables, [handle])) throw new TypeErrorC('not a table handle: use a table from alm.sql, alm.table or alm.run');
    return apply(mapGet, tables, [handle]);
  };
  const TableProto = freeze({
    rows(limit) {
      const n = limit === undefined ? 100 : limit;
      if (typeof n !== 'number' || !(n >= 0) || n > 100000 || n !== Math.floor(n)) throw new TypeErrorC('table.rows(limit): limit is a whole number from 0 to 100000, got ' + String(n));
      return call('rows', { table: idOf(this), limit: n });
    },
    count() { return call('count', { table: idOf(this) }); },
    toString() { return '[table ' + idOf(this) + ']'; },
  });
  function tableHandle(id) {
    const handle = freeze(create(TableProto, { name: { value: id, enumerable: true } }));
    apply(mapSet, tables, [handle, id]);
    return handle;
  }

  const sqlParam = (v, i) => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number' && isFinite(v)) return v;
    if (v instanceof DateC) return apply(toISO, v, []);
    if (v !== null && typeof v === 'object' && apply(mapHas, tables, [v])) throw new TypeErrorC('alm.sql parameter ' + (i + 1) + ' is a table: write its name in the SQL text (FROM by_product); parameters are values');
    throw new TypeErrorC('alm.sql parameter ' + (i + 1) + ' is ' + (typeof v === 'number' ? String(v) : describe(v)) + '; parameters are strings, finite numbers, booleans, null or dates');
  };

  let grid = null;
  const displays = (display) => host('display', stringify(display));

  const alm = freeze({
    sql(strings, ...values) {
      if (!isArray(strings) || !isArray(strings.raw)) throw new TypeErrorC('alm.sql is a tagged template: alm.sql\x60SELECT … WHERE currency = \${ccy}\x60');
      const text = [];
      for (let i = 0; i < strings.length; i++) { if (typeof strings[i] !== 'string') throw new TypeErrorC('alm.sql: template text must be strings'); text.push(strings[i]); }
      return revive(call('sql', { text, params: values.map(sqlParam) }));
    },
    table(name) {
      if (typeof name !== 'string') throw new TypeErrorC('alm.table(name): name is a string, like "by_product"');
      return revive(call('table', { name }));
    },
    dataset() { return call('dataset', {}); },
    curves() { return call('curves', {}); },
    bcbs(currency) {
      if (typeof currency !== 'string') throw new TypeErrorC('alm.bcbs(currency): currency is a string such as "EUR"');
      return call('bcbs', { currency });
    },
    scenario(id, shock, options) {
      if (typeof id !== 'string') throw new TypeErrorC('alm.scenario(id, shock): id is a string such as "twist_up"');
      if (typeof shock !== 'function') throw new TypeErrorC('alm.scenario(id, shock): shock is a function (t, currency) => decimal shift');
      const o = options === undefined ? {} : encode(options, 'alm.scenario options', [], false);
      if (grid === null) grid = call('shockGrid', {});
      const shifts = {};
      for (const ccy of grid.currencies) {
        const out = new Array(grid.times.length);
        for (let i = 0; i < grid.times.length; i++) {
          const t = grid.times[i];
          const v = shock(t, ccy);
          if (typeof v !== 'number' || !isFinite(v)) throw new TypeErrorC('alm.scenario("' + id + '"): the shock function returned ' + String(v) + ' at t = ' + t + ' for ' + ccy + '; it must return a finite decimal shift (0.02 for +200 bp)');
          out[i] = v;
        }
        shifts[ccy] = out;
      }
      const definition = { id, floorable: o.floorable === undefined ? true : o.floorable, rampMonths: o.rampMonths === undefined ? 0 : o.rampMonths, times: grid.times, shifts };
      if (o.label !== undefined) definition.label = o.label;
      if (o.behaviour !== undefined) definition.behaviour = o.behaviour;
      return freeze(call('scenario', definition));
    },
    run(settings) {
      const s = settings === undefined ? {} : settings;
      const plain = encode(s, 'alm.run settings', [], false);
      if (s && isArray(s.scenarios)) plain.scenarios = s.scenarios.map((x, i) => typeof x === 'string' ? x : x && typeof x.id === 'string' ? x.id : (() => { throw new TypeErrorC('alm.run settings.scenarios[' + i + '] is a scenario id or the object alm.scenario returned'); })());
      return revive(call('run', plain));
    },
    grid(data) { displays({ type: 'grid', data: encode(data, 'alm.grid data', [], true) }); },
    chart(spec) { displays({ type: 'chart', spec: encode(spec, 'alm.chart spec', [], true) }); },
    metric(label, value, format) {
      if (typeof label !== 'string') throw new TypeErrorC('alm.metric(label, value, format): label is a string');
      if (format !== undefined && typeof format !== 'string') throw new TypeErrorC('alm.metric(label, value, format): format is a string such as "money", "pct" or "bp"');
      displays({ type: 'metric', label, value: encode(value, 'alm.metric value', [], true), format: format === undefined ? null : format });
    },
  });

  const show = (v) => {
    if (typeof v === 'string') return v;
    if (typeof v !== 'object' || v === null) return String(v);
    if (v instanceof ErrorC) return String(v.name) + ': ' + String(v.message);
    if (apply(mapHas, tables, [v])) return '[table ' + apply(mapGet, tables, [v]) + ']';
    try { const s = stringify(v); return s === undefined ? String(v) : s; } catch (e) { return '[' + describe(v) + ']'; }
  };
  const line = (level) => (...args) => { host(level, args.map(show).join(' ')); };
  const cons = freeze({ log: line('log'), info: line('log'), debug: line('log'), warn: line('warn'), error: line('error') });

  let lastThrow = null;
  const hook = (value) => { lastThrow = { value, stack: new ErrorC().stack }; return value; };

  const fixed = (name, value) => defineProperty(g, name, { value, writable: false, enumerable: false, configurable: false });
  fixed('alm', alm);
  fixed('console', cons);
  fixed('__almThrow', hook);
  const inputs = parse(inputsText);
  for (const name of keys(inputs)) {
    if (name in g) throw new TypeErrorC('input "' + name + '" has the name of a built-in global; rename that output');
    defineProperty(g, name, { value: revive(inputs[name]), writable: false, enumerable: true, configurable: false });
  }

  return freeze({
    collect(namespace) {
      const out = {};
      for (const name of keys(namespace)) {
        let value;
        try { value = namespace[name]; } catch (e) { throw new ErrorC('export ' + name + ' cannot be read'); }
        let encoded;
        try { encoded = encode(value, name, [], true); } catch (e) {
          const refused = new ErrorC(e instanceof ErrorC ? e.message : String(e));
          refused.name = 'AlmExportError';
          throw refused;
        }
        defineProperty(out, name, { value: encoded, enumerable: true, writable: true, configurable: true });
      }
      return stringify(out);
    },
    whereThrown(value) { return lastThrow !== null && lastThrow.value === value ? lastThrow.stack : ''; },
  });
})`;

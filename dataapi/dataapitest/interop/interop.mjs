// Interop check: drives a Data API server (normally our local one,
// dataapi/dataapitest) with the official TypeScript client,
// @datastax/astra-db-ts, the way an application would, and checks what comes
// back against what the real Data API does.
//
//   ASTRA_ENDPOINT=http://127.0.0.1:8181 node interop.mjs
//
// Environment:
//   ASTRA_ENDPOINT      base URL of the server (required); commands go to
//                       {endpoint}/v1/{keyspace}/{table} (environment "hcd").
//   ASTRA_KEYSPACE      keyspace to work in (default "default_keyspace").
//   INTEROP_FAIL_FAST=1 stop at the first failed check.
//   INTEROP_ONLY=a,b    run only the named sections.
//   INTEROP_TOKEN_CHECKED=1  the server accepts only the token
//                       Cassandra:b64(cassandra):b64(cassandra); check that
//                       another one is refused.
//
// Each check prints one line ("ok" or "FAIL" with what was expected and what
// came back). A failed check ends its section (later checks in a section
// build on earlier ones); the other sections still run so one run shows every
// discrepancy. The exit status is 1 if any check failed.

import { inspect, isDeepStrictEqual } from 'node:util';
import {
  BigNumber,
  DataAPIBlob,
  DataAPIClient,
  DataAPIDate,
  DataAPIDuration,
  DataAPIInet,
  DataAPIResponseError,
  DataAPITime,
  DataAPIVector,
  TableInsertManyError,
  UUID,
  UsernamePasswordTokenProvider,
  blob,
  date,
  duration,
  inet,
  time,
  uuid,
  vector,
} from '@datastax/astra-db-ts';

const endpoint = process.env.ASTRA_ENDPOINT;
if (!endpoint) {
  console.error('interop: set ASTRA_ENDPOINT to the server base URL, e.g. http://127.0.0.1:8181');
  process.exit(2);
}
const keyspace = process.env.ASTRA_KEYSPACE || 'default_keyspace';
const failFast = process.env.INTEROP_FAIL_FAST === '1';
const only = (process.env.INTEROP_ONLY || '').split(',').filter(Boolean);

// ---------------------------------------------------------------------------
// Client set-up. Environment "hcd": the URL layout {endpoint}/v1/{ks}/{table}
// and a Cassandra:<b64 user>:<b64 password> token, as for a self-hosted Data
// API. Logging sends every event to listeners only (no stderr noise), so the
// checks can count commands per page and see warnings.

const client = new DataAPIClient(new UsernamePasswordTokenProvider('cassandra', 'cassandra'), {
  environment: 'hcd',
  logging: [{ events: 'all', emits: 'event' }],
});
const db = client.db(endpoint, { keyspace });

// Command events, most recent last; reset per check with mark().
const events = [];
client.on('commandStarted', (e) => events.push({ kind: 'started', name: e.commandName, command: e.command }));
client.on('commandWarnings', (e) => events.push({ kind: 'warnings', name: e.commandName, warnings: e.warnings }));
const mark = () => events.length;
const commandsSince = (m, name) => events.slice(m).filter((e) => e.kind === 'started' && (!name || e.name === name));
const warningsSince = (m) => events.slice(m).filter((e) => e.kind === 'warnings').flatMap((e) => e.warnings);
const warningCodes = (m) => warningsSince(m).map((w) => w.errorCode);

// ---------------------------------------------------------------------------
// Checking.

class CheckFailure extends Error {
  constructor(label, expected, got, note) {
    super(label);
    this.expected = expected;
    this.got = got;
    this.note = note;
  }
}

const show = (v) => inspect(v, { depth: 8, breakLength: 140, maxArrayLength: 30, maxStringLength: 300 });

let passed = 0;
const failures = [];

function ok(label) {
  passed++;
  console.log(`ok    ${current}: ${label}`);
}

// same compares values the way a user of the client would: the client's own
// datatypes by value, bigint/BigNumber numerically, Map/Set by entries.
function same(a, b) {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a === 'bigint' || typeof b === 'bigint') return typeof a === typeof b && a === b;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (BigNumber.isBigNumber(a) || BigNumber.isBigNumber(b)) {
    return BigNumber.isBigNumber(a) && BigNumber.isBigNumber(b) && a.isEqualTo(b);
  }
  if (a instanceof DataAPIVector || b instanceof DataAPIVector) {
    if (!(a instanceof DataAPIVector && b instanceof DataAPIVector)) return false;
    const x = a.asArray();
    const y = b.asArray();
    return x.length === y.length && x.every((v, i) => Math.fround(v) === Math.fround(y[i]));
  }
  if (a instanceof DataAPIBlob || b instanceof DataAPIBlob) {
    return a instanceof DataAPIBlob && b instanceof DataAPIBlob && a.asBuffer().equals(b.asBuffer());
  }
  if (a instanceof DataAPIInet || b instanceof DataAPIInet) {
    return a instanceof DataAPIInet && b instanceof DataAPIInet && a.toString() === b.toString();
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  for (const T of [DataAPIDate, DataAPITime, DataAPIDuration, UUID]) {
    if (a instanceof T || b instanceof T) return a instanceof T && b instanceof T && a.equals(b);
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    const bs = [...b.entries()];
    return [...a.entries()].every(([k, v]) => bs.some(([k2, v2]) => same(k, k2) && same(v, v2)));
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    const bs = [...b];
    return [...a].every((v) => bs.some((v2) => same(v, v2)));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return isDeepStrictEqual(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return false;
}

function eq(label, got, expected, note) {
  if (!same(got, expected)) throw new CheckFailure(label, expected, got, note);
  ok(label);
}

// eqOn is eq for a check nothing later depends on: a failure is recorded
// and the section goes on.
function eqOn(label, got, expected, note) {
  try {
    eq(label, got, expected, note);
  } catch (e) {
    if (!(e instanceof CheckFailure)) throw e;
    report(current, e);
  }
}

function report(name, f) {
  failures.push(`${name}: ${f.message}`);
  console.log(`FAIL  ${name}: ${f.message}`);
  console.log(`        expected: ${show(f.expected)}`);
  console.log(`        got:      ${show(f.got)}`);
  if (f.note) console.log(`        note:     ${f.note}`);
  if (failFast) {
    console.log('interop: stopped at the first failure (INTEROP_FAIL_FAST=1)');
    process.exit(1);
  }
}

// indep runs checks nothing later depends on: a failure is recorded and the
// section goes on.
async function indep(label, fn) {
  try {
    await fn();
  } catch (e) {
    report(current, e instanceof CheckFailure ? e : unexpected(label, e));
  }
}

// briefError is an error's code and the line of its message that says what
// was wrong (the rest is boilerplate).
function briefError(d) {
  const lines = String(d.message ?? '').split('\n').filter(Boolean);
  const cause = lines.find((l) => /Cause:/.test(l));
  return `${d.errorCode}: ${cause ?? lines.join(' ')}`;
}

// unexpected turns an exception a check did not expect into a failure.
function unexpected(label, e) {
  const got = e instanceof DataAPIResponseError
    ? { DataAPIResponseError: e.errorDescriptors.map(briefError), command: Object.keys(e.command)[0] }
    : (e && e.stack) || String(e);
  return new CheckFailure(label, 'no exception', got);
}

function truthy(label, cond, expected, got, note) {
  if (!cond) throw new CheckFailure(label, expected, got, note);
  ok(label);
}

// rejects runs fn and checks it throws a DataAPIResponseError whose first
// error has the given errorCode.
async function rejects(label, fn, errorCode) {
  let got;
  try {
    const r = await fn();
    got = { resolved: r };
  } catch (e) {
    if (e instanceof DataAPIResponseError) {
      const codes = e.errorDescriptors.map((d) => d.errorCode);
      if (codes[0] === errorCode) {
        ok(`${label} -> ${errorCode}`);
        return e;
      }
      got = { DataAPIResponseError: e.errorDescriptors.map(briefError) };
    } else {
      got = { thrown: String(e && e.stack ? e.stack : e) };
    }
  }
  throw new CheckFailure(label, { DataAPIResponseError: errorCode }, got);
}

let current = '';
const sections = [];
const section = (name, fn) => sections.push({ name, fn });

// ---------------------------------------------------------------------------
// Helpers for data.

// mulberry32: a small seeded PRNG so every run uses the same data.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unitVector(rand, n) {
  const v = Array.from({ length: n }, () => rand() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => Math.fround(x / norm));
}

// Scores as Cassandra reports them (higher = closer, in [0, 1]).
const metrics = {
  cosine: (a, b) => {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    return (1 + dot / Math.sqrt(na * nb)) / 2;
  },
  dot_product: (a, b) => {
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
    return (1 + dot) / 2;
  },
  euclidean: (a, b) => {
    let d = 0;
    for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
    return 1 / (1 + d);
  },
};

async function dropIfExists(name) {
  await db.dropTable(name, { ifExists: true });
}

// ---------------------------------------------------------------------------
// Sections.

const TYPES = 'interop_types';

// Every column type the Data API creates, a two-column partition key and two
// clustering columns (one descending).
const typesColumns = {
  p_text: 'text',
  p_int: 'int',
  c_ts: 'timestamp',
  c_uuid: 'uuid',
  t: 'text',
  a: 'ascii',
  bo: 'boolean',
  ti: 'tinyint',
  si: 'smallint',
  i: 'int',
  bi: 'bigint',
  vi: 'varint',
  de: 'decimal',
  f: 'float',
  d: 'double',
  da: 'date',
  tm: 'time',
  ts: 'timestamp',
  du: 'duration',
  u: 'uuid',
  ip: 'inet',
  bl: 'blob',
  vec: { type: 'vector', dimension: 4 },
  l_text: { type: 'list', valueType: 'text' },
  l_date: { type: 'list', valueType: 'date' },
  s_int: { type: 'set', valueType: 'int' },
  s_inet: { type: 'set', valueType: 'inet' },
  m_text_int: { type: 'map', keyType: 'text', valueType: 'int' },
  m_ascii_blob: { type: 'map', keyType: 'ascii', valueType: 'blob' },
  m_int_text: { type: 'map', keyType: 'int', valueType: 'text' },
  m_uuid_bool: { type: 'map', keyType: 'uuid', valueType: 'boolean' },
  m_date_double: { type: 'map', keyType: 'date', valueType: 'double' },
};
const typesPK = { partitionBy: ['p_text', 'p_int'], partitionSort: { c_ts: -1, c_uuid: 1 } };

const U1 = uuid('0b7bb4c4-7a1d-4c6b-9d8e-3f2a1b0c9d8e');
const U2 = uuid('f0e1d2c3-b4a5-4968-8776-655443322110');

const rowFull = {
  p_text: 'part', p_int: 7, c_ts: new Date('2024-09-24T14:06:59.123Z'), c_uuid: U1,
  t: 'héllo ✓ 世界 "quoted" \\ back',
  a: 'plain ascii ~',
  bo: true,
  ti: -128,
  si: 32767,
  i: -2147483648,
  bi: 9223372036854775807n,
  vi: 123456789012345678901234567890123456789n,
  de: BigNumber('-12345678901234567890.123456789012345678'),
  f: 3.1415927,
  d: 2.718281828459045,
  da: date('2024-02-29'),
  tm: time('13:14:15.123456789'),
  ts: new Date('1999-12-31T23:59:59.999Z'),
  du: duration('1y2mo3w4d5h6m7s8ms9us10ns'),
  u: U2,
  ip: inet('192.168.1.10'),
  bl: blob(Buffer.from([0, 1, 2, 253, 254, 255])),
  vec: vector([0.1, -0.2, 0.3, -0.4]),
  l_text: ['b', 'a', 'b'],
  l_date: [date('2000-01-01'), date('1970-01-01')],
  s_int: new Set([5, -1, 3]),
  s_inet: new Set([inet('10.0.0.2'), inet('10.0.0.1')]),
  m_text_int: new Map([['b', 2], ['a', 1]]),
  m_ascii_blob: new Map([['k', blob(Buffer.from('hi'))]]),
  m_int_text: new Map([[10, 'ten'], [2, 'two'], [-3, 'minus three']]),
  m_uuid_bool: new Map([[U2, false], [U1, true]]),
  m_date_double: new Map([[date('2020-05-05'), 1.5], [date('1900-01-01'), -0.25]]),
};

// Edge values: NaN/infinities, years outside 0000-9999, negative duration,
// IPv6, empty collections, decimal exponent.
const rowEdge = {
  p_text: 'part', p_int: 7, c_ts: new Date('2024-09-24T14:06:59Z'), c_uuid: U1,
  t: '',
  f: NaN,
  d: -Infinity,
  de: BigNumber('1E+30'),
  vi: -987654321098765432109876543210n,
  bi: -9223372036854775808n,
  da: date('+12345-06-07'),
  tm: time('00:00:00'),
  du: duration('-3h'),
  ip: inet('::1'),
  ts: new Date('0001-01-01T00:00:00Z'),
  l_text: [],
  s_int: new Set(),
  m_text_int: new Map(),
  m_int_text: new Map(),
};

// Only the primary key.
const rowKeyOnly = { p_text: 'other', p_int: -1, c_ts: new Date(0), c_uuid: U2 };

section('types', async () => {
  await dropIfExists(TYPES);
  const m0 = mark();
  const table = await db.createTable(TYPES, { definition: { columns: typesColumns, primaryKey: typesPK } });
  eq('createTable with every type and a compound primary key sends one command', commandsSince(m0, 'createTable').length, 1);

  const names = await db.listTables({ nameOnly: true });
  truthy('listTables({nameOnly}) lists the table', Array.isArray(names) && names.includes(TYPES), `array containing "${TYPES}"`, names);

  const defs = await db.listTables();
  const def = defs.find((d) => d.name === TYPES);
  truthy('listTables() has a full definition for the table', !!def, `an entry named ${TYPES}`, defs);
  eq('listTables() primaryKey', def.definition.primaryKey, typesPK);
  const want = {};
  for (const [k, v] of Object.entries(typesColumns)) want[k] = typeof v === 'string' ? { type: v } : v;
  const gotCols = {};
  for (const [k, v] of Object.entries(def.definition.columns)) {
    const { apiSupport, ...rest } = v;
    gotCols[k] = rest;
  }
  eq('listTables() column definitions (long form)', gotCols, want);
  eq('listTables() vector column carries apiSupport with filter:false (as the real server)', def.definition.columns.vec.apiSupport,
    { createTable: true, insert: true, read: true, filter: false, cqlDefinition: 'vector<float, 4>' });
  const withSupport = Object.entries(def.definition.columns).filter(([k, v]) => v.apiSupport && k !== 'vec').map(([k]) => k);
  eq('listTables() no other column carries apiSupport', withSupport, []);
  eq('table.definition() agrees with listTables()', await table.definition(), def.definition);

  const ins = await table.insertOne(rowFull);
  eq('insertOne returns the primary key, typed by primaryKeySchema', ins.insertedId,
    { p_text: 'part', p_int: 7, c_ts: rowFull.c_ts, c_uuid: U1 });

  const key = { p_text: 'part', p_int: 7, c_ts: rowFull.c_ts, c_uuid: U1 };
  const got = await table.findOne(key);
  truthy('findOne by full primary key finds the row', got !== null, 'a row', got);
  const expect = {
    ...rowFull,
    // The server sorts sets and maps (Cassandra collection order).
    s_int: new Set([-1, 3, 5]),
  };
  for (const col of Object.keys(typesColumns)) {
    if (col === 'f') {
      eq('round trip f (float: float32 precision)', Math.fround(got.f), Math.fround(rowFull.f));
      continue;
    }
    eq(`round trip ${col} (${typeof typesColumns[col] === 'string' ? typesColumns[col] : typesColumns[col].type})`, got[col], expect[col]);
  }
  eq('typeof bigint column is bigint', typeof got.bi, 'bigint');
  eq('typeof varint column is bigint', typeof got.vi, 'bigint');
  truthy('decimal column is a BigNumber', BigNumber.isBigNumber(got.de), 'BigNumber', got.de);
  eq('set<int> comes back in Cassandra order', [...got.s_int], [-1, 3, 5]);
  eq('set<inet> comes back in Cassandra order', [...got.s_inet].map(String), ['10.0.0.1', '10.0.0.2']);
  eq('map<text,int> comes back sorted by key', [...got.m_text_int.keys()], ['a', 'b']);
  eq('map<int,text> comes back sorted by key', [...got.m_int_text.keys()], [-3, 2, 10]);
  eq('map<date,double> comes back sorted by key', [...got.m_date_double.keys()].map(String), ['1900-01-01', '2020-05-05']);
  eq('map<uuid,boolean> keys are UUIDs sorted as Cassandra sorts uuid', [...got.m_uuid_bool.keys()].map(String), [U1.toString(), U2.toString()],
    'Cassandra orders version-4 uuids by their bytes as unsigned (0b7b... before f0e1...)');
  eq('list<text> keeps order and duplicates', got.l_text, ['b', 'a', 'b']);

  // The same row key written again with edge values: INSERT is an upsert that
  // only replaces the columns it names.
  const edgeKey = { p_text: 'part', p_int: 7, c_ts: rowEdge.c_ts, c_uuid: U1 };
  await table.insertOne(rowEdge);
  const e = await table.findOne(edgeKey);
  eq('edge: empty text', e.t, '');
  truthy('edge: float NaN', Number.isNaN(e.f), NaN, e.f);
  eq('edge: double -Infinity', e.d, -Infinity);
  eq('edge: decimal 1E+30', e.de, BigNumber('1E+30'));
  eq('edge: negative varint', e.vi, rowEdge.vi);
  eq('edge: bigint minimum', e.bi, -9223372036854775808n);
  eq('edge: date with a five-digit year', e.da, date('+12345-06-07'));
  eq('edge: date string form', e.da.toString(), '+12345-06-07');
  eq('edge: time midnight', e.tm, time('00:00:00'));
  eq('edge: negative duration', e.du, duration('-3h'));
  eq('edge: inet ::1 comes back as the real server prints it', e.ip.toString(), '0:0:0:0:0:0:0:1',
    'the real server prints InetAddress.getHostAddress(): uncompressed IPv6');
  eq('edge: empty list reads as [] (stored as null)', e.l_text, []);
  eq('edge: empty set reads as empty Set', e.s_int, new Set());
  eq('edge: empty map reads as empty Map', e.m_text_int, new Map());
  eq('edge: unset column reads as null', e.bo, null);
  eq('edge: timestamp in year 1', e.ts, new Date('0001-01-01T00:00:00Z'));

  await table.insertOne(rowKeyOnly);
  const k = await table.findOne(rowKeyOnly);
  const nulls = {};
  for (const [col, t] of Object.entries(typesColumns)) {
    const kind = typeof t === 'string' ? t : t.type;
    nulls[col] = kind === 'map' ? new Map() : kind === 'set' ? new Set() : kind === 'list' ? [] : null;
  }
  eq('row with only the primary key: every other column null/empty', k, { ...nulls, ...rowKeyOnly });

  const sparse = db.table(TYPES, { serdes: { sparseData: true } });
  const raw = await sparse.findOne(rowKeyOnly);
  eq('sparseData: the server omits null columns from rows', Object.keys(raw).sort(), Object.keys(rowKeyOnly).sort());

  // Clustering order: c_ts DESC then c_uuid ASC inside the partition.
  const rows = await table.find({ p_text: 'part', p_int: 7 }, { projection: { c_ts: 1, c_uuid: 1 } }).toArray();
  eq('find in a partition follows the clustering order (c_ts DESC)', rows.map((r) => r.c_ts.toISOString()),
    ['2024-09-24T14:06:59.123Z', '2024-09-24T14:06:59.000Z']);
  eq('projection returns only the projected columns', Object.keys(rows[0]).sort(), ['c_ts', 'c_uuid']);

  // Filters with typed operands.
  eq('filter on date column (unindexed, warning)', (await table.find({ p_text: 'part', p_int: 7, da: date('2024-02-29') }).toArray()).length, 1);
  eq('filter on uuid column', (await table.find({ p_text: 'part', p_int: 7, u: U2 }).toArray()).length, 1);
  eq('filter on inet column', (await table.find({ p_text: 'part', p_int: 7, ip: inet('192.168.1.10') }).toArray()).length, 1);
  eq('filter on varint column (big number operand)', (await table.find({ p_text: 'part', p_int: 7, vi: rowFull.vi }).toArray()).length, 1);
  eq('filter on decimal column (big number operand)', (await table.find({ p_text: 'part', p_int: 7, de: rowFull.de }).toArray()).length, 1);
  eq('filter on blob column', (await table.find({ p_text: 'part', p_int: 7, bl: rowFull.bl }).toArray()).length, 1);
  eq('filter on timestamp with $gt', (await table.find({ p_text: 'part', p_int: 7, ts: { $gt: new Date('1999-01-01T00:00:00Z') } }).toArray()).length, 1);
  eq('filter set<int> $in (contains any)', (await table.find({ p_text: 'part', p_int: 7, s_int: { $in: [3, 99] } }).toArray()).length, 1);
  eq('filter map<int,text> $keys $in', (await table.find({ p_text: 'part', p_int: 7, m_int_text: { $keys: { $in: [10] } } }).toArray()).length, 1);
  eq('filter map<text,int> $values $in', (await table.find({ p_text: 'part', p_int: 7, m_text_int: { $values: { $in: [2] } } }).toArray()).length, 1);
  eq('filter map<text,int> entries $in', (await table.find({ p_text: 'part', p_int: 7, m_text_int: { $in: [['a', 1]] } }).toArray()).length, 1);
});

section('keyspaces', async () => {
  const admin = db.admin({ environment: 'hcd' });
  const ks = await admin.listKeyspaces();
  truthy('listKeyspaces includes the working keyspace', ks.includes(keyspace), `includes ${keyspace}`, ks);
  await admin.createKeyspace('interop_ks');
  truthy('createKeyspace (client sends replication {class, replicationFactor})', (await admin.listKeyspaces()).includes('interop_ks'), 'includes interop_ks', await admin.listKeyspaces());
  const t = await db.createTable('in_other_ks', { definition: { columns: { id: 'text', n: 'int' }, primaryKey: 'id' }, keyspace: 'interop_ks' });
  await t.insertOne({ id: 'x', n: 1 });
  eq('table in another keyspace: findOne', await t.findOne({ id: 'x' }), { id: 'x', n: 1 });
  eq('listTables in that keyspace', await db.listTables({ nameOnly: true, keyspace: 'interop_ks' }), ['in_other_ks']);
  truthy('the table is not in the working keyspace', !(await db.listTables({ nameOnly: true })).includes('in_other_ks'), 'absent', await db.listTables({ nameOnly: true }));
  await admin.dropKeyspace('interop_ks');
  truthy('dropKeyspace', !(await admin.listKeyspaces()).includes('interop_ks'), 'absent', await admin.listKeyspaces());
});

const MANY = 'interop_many';

section('insertMany', async () => {
  await dropIfExists(MANY);
  const table = await db.createTable(MANY, { definition: { columns: { id: 'int', n: 'int', s: 'text' }, primaryKey: 'id' } });

  let m = mark();
  const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, n: i * 2, s: `row ${i}` }));
  const r1 = await table.insertMany(rows, { ordered: true });
  eq('ordered insertMany of 300 rows: insertedCount', r1.insertedCount, 300);
  eq('ordered insertMany: insertedIds in input order', r1.insertedIds, rows.map((r) => ({ id: r.id })));
  eq('ordered insertMany: the client sent 6 chunks of 50', commandsSince(m, 'insertMany').map((e) => e.command.insertMany.documents.length), [50, 50, 50, 50, 50, 50]);

  m = mark();
  const rows2 = Array.from({ length: 250 }, (_, i) => ({ id: 1000 + i, n: i }));
  const r2 = await table.insertMany(rows2, { chunkSize: 20, concurrency: 5 });
  eq('unordered insertMany of 250 rows (chunk 20, concurrency 5): insertedCount', r2.insertedCount, 250);
  eq('unordered insertMany: every id reported once', r2.insertedIds.map((x) => x.id).sort((a, b) => a - b), rows2.map((r) => r.id));
  eq('unordered insertMany: 13 requests', commandsSince(m, 'insertMany').length, 13);
  eq('rows are all there (find count)', (await table.find({}).toArray()).length, 550);

  // Chunk of 100 = the server maximum.
  const r3 = await table.insertMany(Array.from({ length: 100 }, (_, i) => ({ id: 5000 + i })), { ordered: true, chunkSize: 100 });
  eq('insertMany with a chunk of 100 (server maximum)', r3.insertedCount, 100);
  await rejects('insertMany with a chunk of 101 is rejected by the server',
    () => table.insertMany(Array.from({ length: 101 }, (_, i) => ({ id: 6000 + i })), { ordered: true, chunkSize: 101 }).catch((e) => { throw e instanceof TableInsertManyError ? e.errors()[0] : e; }),
    'COMMAND_FIELD_VALUE_INVALID');

  // A bad row (a string for an int column) at index 75 of 120, ordered.
  const bad = (base) => Array.from({ length: 120 }, (_, i) => (i === 75 ? { id: base + i, n: 'not a number' } : { id: base + i, n: i }));
  let err;
  try {
    await table.insertMany(bad(2000), { ordered: true });
  } catch (e) {
    err = e;
  }
  truthy('ordered insertMany with a bad row throws TableInsertManyError', err instanceof TableInsertManyError, 'TableInsertManyError', err);
  eq('ordered: rows before the bad one are inserted (75), later ones skipped', err.insertedIds().length, 75);
  eq('ordered: insertedIds are the first 75', err.insertedIds(), Array.from({ length: 75 }, (_, i) => ({ id: 2000 + i })));
  eq('ordered: one cause', err.errors().length, 1);
  truthy('ordered: the cause is a DataAPIResponseError', err.errors()[0] instanceof DataAPIResponseError, 'DataAPIResponseError', err.errors()[0]);
  eq('ordered: the cause names INVALID_COLUMN_VALUES', err.errors()[0].errorDescriptors.map((d) => d.errorCode), ['INVALID_COLUMN_VALUES']);
  truthy('ordered: the error message names the column', /\bn\b/.test(err.errors()[0].errorDescriptors[0].message), 'message mentioning column n', err.errors()[0].errorDescriptors[0].message);
  const statuses = err.errors()[0].rawResponse.status.documentResponses.map((d) => d.status);
  eq('ordered: documentResponses of the failing chunk: 25 OK, 1 ERROR, 24 SKIPPED', statuses,
    [...Array(25).fill('OK'), 'ERROR', ...Array(24).fill('SKIPPED')]);
  eq('ordered: row 2074 present', (await table.findOne({ id: 2074 }))?.id, 2074);
  eq('ordered: row 2076 absent (skipped)', await table.findOne({ id: 2076 }), null);
  eq('ordered: row 2110 absent (never sent)', await table.findOne({ id: 2110 }), null);

  err = undefined;
  try {
    await table.insertMany(bad(3000), { ordered: false });
  } catch (e) {
    err = e;
  }
  truthy('unordered insertMany with a bad row throws TableInsertManyError', err instanceof TableInsertManyError, 'TableInsertManyError', err);
  eq('unordered: 119 inserted', err.insertedIds().length, 119);
  eq('unordered: one cause, INVALID_COLUMN_VALUES', err.errors().map((c) => c.errorDescriptors.map((d) => d.errorCode)), [['INVALID_COLUMN_VALUES']]);
  eq('unordered: row 3076 present', (await table.findOne({ id: 3076 }))?.id, 3076);
  eq('unordered: row 3075 absent', await table.findOne({ id: 3075 }), null);

  // [ok, bad, ok, bad, ok] in one ordered request: every row is validated
  // first, so both bad rows are reported and only the first row is written.
  err = undefined;
  try {
    await table.insertMany([{ id: 4000 }, { id: 4001, n: 'x' }, { id: 4002 }, { id: 4003, zz: 1 }, { id: 4004 }], { ordered: true });
  } catch (e) {
    err = e;
  }
  truthy('ordered [ok,bad,ok,bad,ok] throws', err instanceof TableInsertManyError, 'TableInsertManyError', err);
  eq('ordered [ok,bad,ok,bad,ok]: 1 inserted', err.insertedIds(), [{ id: 4000 }]);
  eq('ordered [ok,bad,ok,bad,ok]: both validation errors reported', err.errors()[0].errorDescriptors.map((d) => d.errorCode).sort(),
    ['INVALID_COLUMN_VALUES', 'UNKNOWN_TABLE_COLUMNS']);
  eq('ordered [ok,bad,ok,bad,ok]: documentResponses', err.errors()[0].rawResponse.status.documentResponses.map((d) => d.status),
    ['OK', 'ERROR', 'SKIPPED', 'ERROR', 'SKIPPED']);
});

const PAGING = 'interop_paging';

section('find', async () => {
  await dropIfExists(PAGING);
  const table = await db.createTable(PAGING, {
    definition: { columns: { p: 'text', c: 'int', k: 'text', n: 'int', s: 'text' }, primaryKey: { partitionBy: ['p'], partitionSort: { c: 1, k: -1 } } },
  });
  const rows = [];
  for (let c = 0; c < 90; c++) for (const k of ['x', 'y']) rows.push({ p: 'a', c, k, n: c % 7, s: `s${c}` });
  for (let c = 0; c < 40; c++) rows.push({ p: 'b', c, k: 'x', n: c % 7 });
  await table.insertMany(rows, { ordered: false });

  const expectA = [];
  for (let c = 0; c < 90; c++) for (const k of ['y', 'x']) expectA.push(`${c}${k}`);

  let m = mark();
  const seen = [];
  for await (const r of table.find({ p: 'a' })) seen.push(`${r.c}${r.k}`);
  eq('cursor over a 180-row partition: count', seen.length, 180);
  eq('cursor: clustering order (c ASC, k DESC)', seen, expectA);
  eq('cursor: pages fetched (page size 50)', commandsSince(m, 'find').length, 4);
  eq('cursor: later requests carry the pageState', commandsSince(m, 'find').map((e) => typeof e.command.find.options.pageState), ['undefined', 'string', 'string', 'string']);

  const cur = table.find({ p: 'a' });
  const sizes = [];
  for (;;) {
    const page = await cur.fetchNextPage();
    sizes.push(page.result.length);
    if (!page.nextPageState) break;
  }
  eq('fetchNextPage page sizes', sizes, [50, 50, 50, 30]);

  eq('limit 75 spans two pages', (await table.find({ p: 'a' }, { limit: 75 }).toArray()).map((r) => `${r.c}${r.k}`), expectA.slice(0, 75));
  eq('sort by clustering column descending reverses the partition',
    (await table.find({ p: 'a' }, { sort: { c: -1, k: 1 } }).toArray()).map((r) => `${r.c}${r.k}`), [...expectA].reverse());
  eq('range on the clustering column', (await table.find({ p: 'a', c: { $gte: 10, $lt: 20 } }).toArray()).map((r) => `${r.c}${r.k}`), expectA.slice(20, 40));
  eq('$in on the clustering column', (await table.find({ p: 'a', c: { $in: [3, 1] } }).toArray()).map((r) => `${r.c}${r.k}`), ['1y', '1x', '3y', '3x']);

  m = mark();
  const all = await table.find({}).toArray();
  eq('find {} over the whole table: 220 rows', all.length, 220);
  truthy('find {} warns ZERO_FILTER_OPERATIONS', warningCodes(m).includes('ZERO_FILTER_OPERATIONS'), 'ZERO_FILTER_OPERATIONS', warningCodes(m));
  eq('find {}: rows of a partition stay together and in order', all.filter((r) => r.p === 'a').map((r) => `${r.c}${r.k}`), expectA);

  m = mark();
  const byN = await table.find({ n: 3 }).toArray();
  eq('filter on an unindexed column', byN.length, rows.filter((r) => r.n === 3).length);
  truthy('unindexed filter warns MISSING_INDEX', warningCodes(m).includes('MISSING_INDEX'), 'MISSING_INDEX', warningCodes(m));

  await table.createIndex('interop_paging_n', 'n');
  m = mark();
  eq('filter on an indexed column', (await table.find({ n: 3 }).toArray()).length, rows.filter((r) => r.n === 3).length);
  eq('indexed filter: no warnings', warningCodes(m), []);
  eq('$ne / $gt on indexed int with partition', (await table.find({ p: 'b', n: { $gt: 4 } }).toArray()).map((r) => r.c), [5, 6, 12, 13, 19, 20, 26, 27, 33, 34]);

  eqOn('$in on the partition key', (await table.find({ p: { $in: ['b', 'zz'] }, c: { $lt: 3 } }).toArray()).map((r) => `${r.p}${r.c}`), ['b0', 'b1', 'b2']);
  eqOn('findOne with a reversed clustering sort gives the last row', (await table.findOne({ p: 'a' }, { sort: { c: -1, k: 1 } }))?.c, 89);
  await indep('skip without sort', () => rejects('skip without sort is refused', () => table.find({ p: 'a' }, { skip: 3 }).toArray(), 'COMMAND_FIELD_VALUE_INVALID'));
  eq('findOne with filter', await table.findOne({ p: 'a', c: 5, k: 'x' }), { p: 'a', c: 5, k: 'x', n: 5, s: 's5' });
  eq('findOne with projection', await table.findOne({ p: 'a', c: 5, k: 'x' }, { projection: { s: 1 } }), { s: 's5' });
  eq('findOne that matches nothing', await table.findOne({ p: 'zz' }), null);
  eq('findOne returns the first row in clustering order', (await table.findOne({ p: 'a' }))?.c, 0);

  // In-memory sort on a regular column (warning, at most one page).
  m = mark();
  const sorted = await table.find({ p: 'b' }, { sort: { n: -1, c: 1 }, limit: 5 }).toArray();
  eq('sort on a regular column (in-memory)', sorted.map((r) => [r.n, r.c]), [[6, 6], [6, 13], [6, 20], [6, 27], [6, 34]]);
  truthy('in-memory sort warns IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING', warningCodes(m).includes('IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING'),
    'IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING', warningCodes(m));
  eq('skip with sort', (await table.find({ p: 'b' }, { sort: { c: 1 }, skip: 10, limit: 3 }).toArray()).map((r) => r.c), [10, 11, 12]);
  m = mark();
  const memAll = await table.find({ p: 'a' }, { sort: { n: 1 } }).toArray();
  eq('in-memory sort returns one page only (50 rows), no paging', [memAll.length, commandsSince(m, 'find').length], [50, 1]);
});

const VEC = 'interop_vec';

section('vector', async () => {
  await dropIfExists(VEC);
  const table = await db.createTable(VEC, {
    definition: {
      columns: { id: 'int', grp: 'text', vc: { type: 'vector', dimension: 8 }, vd: { type: 'vector', dimension: 8 }, ve: { type: 'vector', dimension: 8 } },
      primaryKey: 'id',
    },
  });
  await table.createVectorIndex('interop_vec_vc', 'vc', { options: { metric: 'cosine' } });
  await table.createVectorIndex('interop_vec_vd', 'vd', { options: { metric: 'dot_product' } });
  await table.createVectorIndex('interop_vec_ve', 've', { options: { metric: 'euclidean' } });

  const rand = prng(42);
  const rows = Array.from({ length: 200 }, (_, id) => ({
    id, grp: id % 2 ? 'odd' : 'even', vc: vector(unitVector(rand, 8)), vd: vector(unitVector(rand, 8)), ve: vector(unitVector(rand, 8)),
  }));
  await table.insertMany(rows);
  const q = unitVector(rand, 8);

  const back = await table.findOne({ id: 17 });
  eq('vector round trip ($binary on the wire, float32 values)', back.vc, rows[17].vc);

  for (const [col, metric] of [['vc', 'cosine'], ['vd', 'dot_product'], ['ve', 'euclidean']]) {
    const brute = rows.map((r) => ({ id: r.id, grp: r.grp, score: metrics[metric](q, r[col].asArray()) })).sort((a, b) => b.score - a.score);
    const m = mark();
    const got = await table.find({}, { sort: { [col]: vector(q) }, limit: 10, includeSimilarity: true }).toArray();
    eq(`${metric}: top 10 ids match brute force`, got.map((r) => r.id), brute.slice(0, 10).map((b) => b.id));
    const maxErr = Math.max(...got.map((r, i) => Math.abs(r.$similarity - brute[i].score)));
    truthy(`${metric}: $similarity matches brute force (|err| < 1e-5)`, maxErr < 1e-5,
      brute.slice(0, 10).map((b) => b.score), got.map((r) => r.$similarity), `max error ${maxErr}`);
    eq(`${metric}: one request, no warnings`, [commandsSince(m, 'find').length, warningCodes(m)], [1, []]);

    const filtered = await table.find({ grp: 'even' }, { sort: { [col]: q }, limit: 5 }).toArray();
    eq(`${metric}: with a filter (plain array sort)`, filtered.map((r) => r.id), brute.filter((b) => b.grp === 'even').slice(0, 5).map((b) => b.id));
  }

  let m = mark();
  const everything = await table.find({}, { sort: { vc: vector(q) } }).toArray();
  eq('vector sort without limit returns every row in one response', [everything.length, commandsSince(m, 'find').length], [200, 1]);
  truthy('without includeSimilarity rows carry no $similarity', everything.every((r) => !('$similarity' in r)), 'no $similarity', everything[0]);

  const cur = table.find({}, { sort: { vd: vector(q) }, limit: 3, includeSortVector: true });
  eq('includeSortVector: getSortVector() returns the query vector', await cur.getSortVector(), vector(q));
  const best = await table.findOne({}, { sort: { ve: vector(q) }, includeSimilarity: true });
  const bruteE = rows.map((r) => ({ id: r.id, score: metrics.euclidean(q, r.ve.asArray()) })).sort((a, b) => b.score - a.score);
  eq('findOne with vector sort returns the nearest row', best.id, bruteE[0].id);
  truthy('findOne includeSimilarity', Math.abs(best.$similarity - bruteE[0].score) < 1e-5, bruteE[0].score, best.$similarity);

  m = mark();
  const plain = await table.find({ id: 3 }, { includeSimilarity: true }).toArray();
  truthy('includeSimilarity without a vector sort is ignored', plain.length === 1 && !('$similarity' in plain[0]), 'row without $similarity', plain);

  const idx = await table.listIndexes();
  const vIdx = Object.fromEntries(idx.map((i) => [i.name, i]));
  eq('listIndexes: vector index definitions', ['interop_vec_vc', 'interop_vec_vd', 'interop_vec_ve'].map((n) => [vIdx[n]?.indexType, vIdx[n]?.definition?.column, vIdx[n]?.definition?.options?.metric]),
    [['vector', 'vc', 'cosine'], ['vector', 'vd', 'dot_product'], ['vector', 've', 'euclidean']]);

  await rejects('vector sort with the wrong dimension', () => table.find({}, { sort: { vc: vector([1, 0, 0]) } }).toArray(), 'CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS');
  await rejects('vector sort on an unindexed vector column', async () => {
    await table.alter({ operation: { add: { columns: { vx: { type: 'vector', dimension: 2 } } } } });
    return table.find({}, { sort: { vx: vector([1, 0]) } }).toArray();
  }, 'CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS');
});

const UPD = 'interop_upd';

section('update', async () => {
  await dropIfExists(UPD);
  const table = await db.createTable(UPD, {
    definition: {
      columns: {
        id: 'text', n: 'int', s: 'text',
        l: { type: 'list', valueType: 'text' }, st: { type: 'set', valueType: 'int' },
        m: { type: 'map', keyType: 'text', valueType: 'int' }, mi: { type: 'map', keyType: 'int', valueType: 'text' },
        v: { type: 'vector', dimension: 3 },
      },
      primaryKey: 'id',
    },
  });
  await table.insertOne({ id: 'u1', n: 1, s: 'a', l: ['a', 'b'], st: new Set([1, 2]), m: new Map([['a', 1]]), mi: new Map([[1, 'one']]) });
  const get = () => table.findOne({ id: 'u1' });

  await table.updateOne({ id: 'u1' }, { $set: { n: 2, s: 'b', v: vector([1, 2, 3]) } });
  let r = await get();
  eq('$set scalars and a vector', [r.n, r.s, r.v], [2, 'b', vector([1, 2, 3])]);

  await table.updateOne({ id: 'u1' }, { $unset: { s: '' } });
  eq('$unset', (await get()).s, null);

  await table.updateOne({ id: 'u1' }, { $push: { l: 'c', st: 3 } });
  r = await get();
  eq('$push one element to list and set', [r.l, [...r.st]], [['a', 'b', 'c'], [1, 2, 3]]);

  await table.updateOne({ id: 'u1' }, { $push: { l: { $each: ['d', 'a'] }, st: { $each: [0, 2] } } });
  r = await get();
  eq('$push $each to list (appends, keeps duplicates) and set (union, sorted)', [r.l, [...r.st]], [['a', 'b', 'c', 'd', 'a'], [0, 1, 2, 3]]);

  await table.updateOne({ id: 'u1' }, { $push: { m: { b: 2 } } });
  eq('$push an entry object to map<text,int>', (await get()).m, new Map([['a', 1], ['b', 2]]));
  await table.updateOne({ id: 'u1' }, { $push: { mi: { $each: [[5, 'five'], [2, 'two']] } } });
  eq('$push $each [key, value] pairs to map<int,text>', [...(await get()).mi.entries()], [[1, 'one'], [2, 'two'], [5, 'five']]);

  await table.updateOne({ id: 'u1' }, { $pullAll: { l: ['a', 'c'], st: [2, 9], m: ['a'], mi: [5] } });
  r = await get();
  eq('$pullAll from list (all occurrences), set, and maps (by key)', [r.l, [...r.st], r.m, [...r.mi.keys()]],
    [['b', 'd'], [0, 1, 3], new Map([['b', 2]]), [1, 2]]);

  await table.updateOne({ id: 'u1' }, { $set: { l: [], m: new Map([['z', 26]]), st: new Set([7]) } });
  r = await get();
  eq('$set whole collections (empty list reads as [])', [r.l, r.m, [...r.st]], [[], new Map([['z', 26]]), [7]]);

  await indep('updateOne with upsert:true', async () => {
    await table.updateOne({ id: 'u9' }, { $set: { n: 9, v: [0.5, 0.5, 0.5] } }, { upsert: true });
    eq('updateOne with {upsert: true} (accepted, ignored: an update always upserts); a plain-array vector', await table.findOne({ id: 'u9' }, { projection: { n: 1, v: 1 } }), { n: 9, v: vector([0.5, 0.5, 0.5]) });
    await table.deleteOne({ id: 'u9' });
  });
  const res = await table.updateOne({ id: 'u2' }, { $set: { n: 5 } });
  eq('updateOne result is void on tables', res, undefined);
  eq('updateOne on a missing row upserts it', await table.findOne({ id: 'u2' }, { projection: { id: 1, n: 1 } }), { id: 'u2', n: 5 });
  await table.updateOne({ id: 'u2' }, { $unset: { n: '' } });
  eq('a row created by update vanishes when its only cell is unset (no row marker)', await table.findOne({ id: 'u2' }), null);
  await table.updateOne({ id: 'u3' }, { $unset: { n: '' } });
  eq('$unset on a missing row creates nothing', await table.findOne({ id: 'u3' }), null);
  await table.insertOne({ id: 'u4', n: 1 });
  await table.updateOne({ id: 'u4' }, { $unset: { n: '' } });
  eq('a row created by insert survives with all cells null (row marker)', await table.findOne({ id: 'u4' }, { projection: { id: 1, n: 1 } }), { id: 'u4', n: null });

  await rejects('$inc is not supported on tables', () => table.updateOne({ id: 'u1' }, { $inc: { n: 1 } }), 'UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE');
  await rejects('updateOne filter must be the full primary key', () => table.updateOne({ n: 1 }, { $set: { s: 'x' } }), 'UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE');
  await rejects('updating a primary key column', () => table.updateOne({ id: 'u1' }, { $set: { id: 'x' } }), 'UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS');
  await rejects('$push on a scalar column', () => table.updateOne({ id: 'u1' }, { $push: { n: 1 } }), 'UNSUPPORTED_UPDATE_OPERATOR');
  await rejects('$set with a value of the wrong type', () => table.updateOne({ id: 'u1' }, { $set: { n: 'x' } }), 'INVALID_UPDATE_COLUMN_VALUES');
});

section('delete', async () => {
  const table = db.table(PAGING);
  await table.deleteOne({ p: 'a', c: 0, k: 'x' });
  eq('deleteOne by full primary key', await table.findOne({ p: 'a', c: 0, k: 'x' }), null);
  eq('deleteOne leaves the neighbour', (await table.findOne({ p: 'a', c: 0, k: 'y' }))?.k, 'y');
  await table.deleteOne({ p: 'a', c: 0, k: 'nope' });
  ok('deleteOne of a missing row succeeds');

  await table.deleteMany({ p: 'a', c: { $gte: 80 } });
  eq('deleteMany with a clustering range', (await table.find({ p: 'a' }).toArray()).length, 180 - 1 - 20);
  await table.deleteMany({ p: 'a', c: 5 });
  eq('deleteMany with a clustering prefix', (await table.find({ p: 'a', c: 5 }).toArray()).length, 0);
  await table.deleteMany({ p: 'b' });
  eq('deleteMany of a whole partition', (await table.find({ p: 'b' }).toArray()).length, 0);
  await rejects('deleteMany on a non-key column', () => table.deleteMany({ n: 1 }), 'UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE');
  await rejects('deleteOne without the full key', () => table.deleteOne({ p: 'a' }), 'MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE');
  await table.deleteMany({});
  eq('deleteMany {} truncates', (await table.find({}).toArray()).length, 0);
  truthy('deleteMany(null) is refused by the client itself', await table.deleteMany(null).then(() => false, (e) => !(e instanceof DataAPIResponseError)), 'client-side error', 'resolved');
});

const IDX = 'interop_idx';

section('indexes', async () => {
  await dropIfExists(IDX);
  const table = await db.createTable(IDX, {
    definition: {
      columns: {
        id: 'text', n: 'int', s: 'text', s2: 'text', a: 'ascii', tags: { type: 'set', valueType: 'text' }, l: { type: 'list', valueType: 'int' },
        m: { type: 'map', keyType: 'text', valueType: 'int' }, v: { type: 'vector', dimension: 3 },
      },
      primaryKey: 'id',
    },
  });
  await table.createIndex('interop_idx_n', 'n');
  await table.createIndex('interop_idx_s', 's', { options: { caseSensitive: false } });
  await table.createIndex('interop_idx_s2', 's2', { options: { ascii: true, normalize: true } });
  await table.createIndex('interop_idx_a', 'a');
  await table.createIndex('interop_idx_tags', 'tags');
  await table.createIndex('interop_idx_l', 'l');
  await table.createIndex('interop_idx_mkeys', { m: '$keys' });
  await table.createIndex('interop_idx_mvalues', { m: '$values' });
  await table.createVectorIndex('interop_idx_v', 'v', { options: { metric: 'euclidean' } });
  ok('created regular indexes on scalar, text with options, set, list, map keys, map values, and a vector index');

  const names = await table.listIndexes({ nameOnly: true });
  eq('listIndexes({nameOnly})', [...names].sort(), ['interop_idx_a', 'interop_idx_l', 'interop_idx_mkeys', 'interop_idx_mvalues', 'interop_idx_n', 'interop_idx_s', 'interop_idx_s2', 'interop_idx_tags', 'interop_idx_v']);
  const defs = Object.fromEntries((await table.listIndexes()).map((i) => [i.name, i]));
  eq('listIndexes: int column', defs.interop_idx_n, { name: 'interop_idx_n', definition: { column: 'n', options: {} }, indexType: 'regular' });
  eq('listIndexes: text column with caseSensitive:false (other options default)', defs.interop_idx_s, { name: 'interop_idx_s', definition: { column: 's', options: { ascii: false, caseSensitive: false, normalize: false } }, indexType: 'regular' });
  eq('listIndexes: text column with ascii and normalize', defs.interop_idx_s2, { name: 'interop_idx_s2', definition: { column: 's2', options: { ascii: true, caseSensitive: true, normalize: true } }, indexType: 'regular' });
  eq('listIndexes: ascii column gets the default text options', defs.interop_idx_a, { name: 'interop_idx_a', definition: { column: 'a', options: { ascii: false, caseSensitive: true, normalize: false } }, indexType: 'regular' });
  eq('listIndexes: set column ($values)', defs.interop_idx_tags?.definition?.column, { tags: '$values' });
  eq('listIndexes: list column ($values)', defs.interop_idx_l?.definition?.column, { l: '$values' });
  eq('listIndexes: map keys', defs.interop_idx_mkeys?.definition?.column, { m: '$keys' });
  eq('listIndexes: map values', defs.interop_idx_mvalues?.definition?.column, { m: '$values' });
  eq('listIndexes: vector', defs.interop_idx_v, { name: 'interop_idx_v', definition: { column: 'v', options: { metric: 'euclidean', sourceModel: 'other' } }, indexType: 'vector' });

  await table.insertMany([
    { id: '1', n: 1, s: 'Hello', s2: 'Crème Brûlée', a: 'x', tags: new Set(['red', 'blue']), l: [1, 2], m: new Map([['k1', 10]]) },
    { id: '2', n: 2, s: 'world', s2: 'creme', a: 'y', tags: new Set(['green']), l: [3], m: new Map([['k2', 20]]) },
  ]);
  let m = mark();
  eq('set index: $in', (await table.find({ tags: { $in: ['green'] } }).toArray()).map((r) => r.id), ['2']);
  eq('list index: $all', (await table.find({ l: { $all: [1, 2] } }).toArray()).map((r) => r.id), ['1']);
  eq('map keys index', (await table.find({ m: { $keys: { $in: ['k2'] } } }).toArray()).map((r) => r.id), ['2']);
  eq('map values index', (await table.find({ m: { $values: { $in: [10] } } }).toArray()).map((r) => r.id), ['1']);
  eq('no MISSING_INDEX warnings for indexed filters', warningCodes(m).filter((c) => c === 'MISSING_INDEX'), []);

  await rejects('createIndex with an existing name', () => table.createIndex('interop_idx_n', 's'), 'CANNOT_ADD_EXISTING_INDEX');
  await table.createIndex('interop_idx_n', 'n', { ifNotExists: true });
  ok('createIndex ifNotExists on an existing name');
  await rejects('createIndex on a vector column', () => table.createIndex('interop_idx_bad', 'v'), 'UNSUPPORTED_INDEXING_FOR_DATA_TYPES');
  await rejects('createIndex with text options on an int column', () => table.createIndex('interop_idx_bad', 'n', { options: { caseSensitive: false } }), 'UNSUPPORTED_TEXT_ANALYSIS_FOR_DATA_TYPES');

  await db.dropTableIndex('interop_idx_n');
  await db.dropTableIndex('interop_idx_mkeys');
  eq('dropIndex then listIndexes', [...(await table.listIndexes({ nameOnly: true }))].sort(),
    ['interop_idx_a', 'interop_idx_l', 'interop_idx_mvalues', 'interop_idx_s', 'interop_idx_s2', 'interop_idx_tags', 'interop_idx_v']);
  m = mark();
  await table.find({ n: 1 }).toArray();
  truthy('after dropping the index the filter warns MISSING_INDEX', warningCodes(m).includes('MISSING_INDEX'), 'MISSING_INDEX', warningCodes(m));
  await rejects('dropIndex of an unknown index', () => db.dropTableIndex('interop_idx_n'), 'CANNOT_DROP_UNKNOWN_INDEX');
  await db.dropTableIndex('interop_idx_n', { ifExists: true });
  ok('dropIndex ifExists of an unknown index');

  // Text analysis: the real server creates the SAI index with
  // case_sensitive/normalize/ascii, and Cassandra then matches $eq on the
  // analysed (folded) terms.
  eqOn('filter on a caseSensitive:false index matches regardless of case', (await table.find({ s: 'HELLO' }).toArray()).map((r) => r.id), ['1'],
    "SAI index option case_sensitive=false (ApiRegularIndex writes it); docs: 'If false, enables searches on the column to be case-insensitive'");
  eqOn('filter on an ascii:true index matches after ASCII folding', (await table.find({ s2: 'Creme Brulee' }).toArray()).map((r) => r.id), ['1'],
    "SAI index option ascii=true folds non-ASCII characters to their ASCII equivalent on both sides");
});

const ALTER = 'interop_alter';

section('alter and drop', async () => {
  await dropIfExists(ALTER);
  const table = await db.createTable(ALTER, { definition: { columns: { id: 'text', a: 'int' }, primaryKey: 'id' } });
  await table.insertOne({ id: 'r', a: 1 });
  await rejects('createTable of an existing table', () => db.createTable(ALTER, { definition: { columns: { id: 'text' }, primaryKey: 'id' } }), 'CANNOT_ADD_EXISTING_TABLE');
  await db.createTable(ALTER, { definition: { columns: { id: 'text' }, primaryKey: 'id' }, ifNotExists: true });
  eq('createTable ifNotExists leaves the existing definition', Object.keys((await table.definition()).columns).sort(), ['a', 'id']);

  await table.alter({ operation: { add: { columns: { b: 'text', mm: { type: 'map', keyType: 'int', valueType: 'int' }, vv: { type: 'vector', dimension: 2 } } } } });
  let def = await table.definition();
  eq('alterTable add: definition has the new columns', Object.keys(def.columns).sort(), ['a', 'b', 'id', 'mm', 'vv']);
  eq('alterTable add: new map column definition', def.columns.mm, { type: 'map', keyType: 'int', valueType: 'int' });
  eq('alterTable add: old rows read null in new columns', await table.findOne({ id: 'r' }), { id: 'r', a: 1, b: null, mm: new Map(), vv: null });
  await table.insertOne({ id: 's', b: 'bee', mm: new Map([[1, 2]]), vv: vector([0.5, 0.25]) });
  eq('insert into added columns', await table.findOne({ id: 's' }), { id: 's', a: null, b: 'bee', mm: new Map([[1, 2]]), vv: vector([0.5, 0.25]) });

  await table.alter({ operation: { drop: { columns: ['a'] } } });
  def = await table.definition();
  eq('alterTable drop: column gone from the definition', Object.keys(def.columns).sort(), ['b', 'id', 'mm', 'vv']);
  eq('alterTable drop: rows no longer carry it', await table.findOne({ id: 'r' }), { id: 'r', b: null, mm: new Map(), vv: null });
  await rejects('insert into a dropped column', () => table.insertOne({ id: 't', a: 1 }), 'UNKNOWN_TABLE_COLUMNS');
  await rejects('alterTable drop of a primary key column', () => table.alter({ operation: { drop: { columns: ['id'] } } }), 'CANNOT_DROP_PRIMARY_KEY_COLUMNS');
  await rejects('alterTable add of an existing column', () => table.alter({ operation: { add: { columns: { b: 'int' } } } }), 'CANNOT_ADD_EXISTING_COLUMNS');

  await table.drop();
  truthy('dropTable: gone from listTables', !(await db.listTables({ nameOnly: true })).includes(ALTER), 'absent', await db.listTables({ nameOnly: true }));
  await rejects('dropTable of an unknown table', () => db.dropTable(ALTER), 'CANNOT_DROP_UNKNOWN_TABLE');
  await db.dropTable(ALTER, { ifExists: true });
  ok('dropTable ifExists of an unknown table');
  await rejects('findOne on a dropped table', () => table.findOne({ id: 'r' }), 'UNKNOWN_COLLECTION_OR_TABLE');
});

const VZ = 'interop_vectorize';

section('vectorize', async () => {
  // The local server embeds text with a deterministic stand-in provider:
  // only identity is meaningful (same text, same vector).
  await dropIfExists(VZ);
  const service = { provider: 'openai', modelName: 'text-embedding-3-small' };
  const table = await db.createTable(VZ, {
    definition: { columns: { id: 'int', body: 'text', v: { type: 'vector', dimension: 16, service } }, primaryKey: 'id' },
    embeddingApiKey: 'interop-not-a-real-key',
  });
  const def = await table.definition();
  eq('listTables(): vector column with its service', { type: def.columns.v.type, dimension: def.columns.v.dimension, service: def.columns.v.service }, { type: 'vector', dimension: 16, service });
  await table.createVectorIndex('interop_vectorize_v', 'v');
  const texts = ['the quick brown fox', 'a lazy dog', 'lorem ipsum', 'hello world', 'vector search'];
  await table.insertMany(texts.map((body, id) => ({ id, body, v: body })));
  const row = await table.findOne({ id: 3 });
  eq('text written to a vectorize column is stored as a vector of the column dimension', row.v instanceof DataAPIVector ? row.v.length : row.v, 16);
  const hits = await table.find({}, { sort: { v: 'hello world' }, limit: 2 }).toArray();
  eq('sort by text on a vectorize column: the row with the same text comes first', hits[0]?.id, 3);
  await table.updateOne({ id: 0 }, { $set: { v: 'hello world' } });
  const again = await table.find({}, { sort: { v: vector(row.v.asArray()) }, limit: 2 }).toArray();
  eq('$set text on a vectorize column embeds it (same text, same vector)', again.map((r) => r.id).sort(), [0, 3]);
  await table.drop();
});

const UDT_TABLE = 'interop_udt';

section('user-defined types', async () => {
  await dropIfExists(UDT_TABLE);
  await db.dropType('interop_addr', { ifExists: true });
  await db.createType('interop_addr', { definition: { fields: { street: 'text', zip: 'int', since: 'date', id: 'uuid' } } });
  truthy('createType then listTypes({nameOnly})', (await db.listTypes({ nameOnly: true })).includes('interop_addr'), 'includes interop_addr', await db.listTypes({ nameOnly: true }));
  const t = (await db.listTypes()).find((x) => x.name === 'interop_addr');
  eq('listTypes() gives the fields', Object.keys(t?.definition?.fields ?? {}).sort(), ['id', 'since', 'street', 'zip']);
  eq('listTypes() field types', Object.fromEntries(Object.entries(t.definition.fields).map(([k, v]) => [k, typeof v === 'string' ? v : v.type])),
    { street: 'text', zip: 'int', since: 'date', id: 'uuid' });

  const udt = { type: 'userDefined', udtName: 'interop_addr' };
  const table = await db.createTable(UDT_TABLE, {
    definition: {
      columns: { id: 'int', home: udt, past: { type: 'list', valueType: udt }, byZip: { type: 'map', keyType: 'int', valueType: udt } },
      primaryKey: 'id',
    },
  });
  const def = await table.definition();
  const noSupport = ({ apiSupport, ...rest }) => rest;
  eq('listTables(): UDT column', noSupport(def.columns.home), udt);
  eq('listTables(): UDT column apiSupport says not filterable (as the real server for non-frozen UDTs)', def.columns.home.apiSupport?.filter, false);
  eq('listTables(): list of UDT', noSupport(def.columns.past), { type: 'list', valueType: udt });

  const home = { street: 'Main St', zip: 12345, since: date('2020-01-02'), id: U1 };
  await table.insertOne({ id: 1, home, past: [{ street: 'Old Rd', zip: 1 }], byZip: new Map([[9, { street: 'Nine' }]]) });
  const r = await table.findOne({ id: 1 });
  eq('UDT round trip with typed fields (date, uuid)', r.home, home);
  eq('list of UDT: missing fields read as null', r.past, [{ street: 'Old Rd', zip: 1, since: null, id: null }]);
  eq('map<int, UDT>', r.byZip, new Map([[9, { street: 'Nine', zip: null, since: null, id: null }]]));

  await table.updateOne({ id: 1 }, { $set: { home: { street: 'New St' } }, $push: { past: { street: 'Main St', zip: 12345 } } });
  const r2 = await table.findOne({ id: 1 });
  eq('$set a whole UDT value', r2.home, { street: 'New St', zip: null, since: null, id: null });
  eq('$push a UDT onto a list', r2.past.map((a) => a.street), ['Old Rd', 'Main St']);

  await db.alterType('interop_addr', { operation: { add: { fields: { city: 'text' } } } });
  eq('alterType add: listTypes shows the field', Object.keys((await db.listTypes()).find((x) => x.name === 'interop_addr').definition.fields).sort(), ['city', 'id', 'since', 'street', 'zip']);
  eq('alterType add: existing values read the new field as null', (await table.findOne({ id: 1 })).home.city, null);
  await table.updateOne({ id: 1 }, { $set: { home: { street: 'S', city: 'C' } } });
  eq('alterType add: the new field can be written', (await table.findOne({ id: 1 })).home.city, 'C');

  await table.drop();
  await db.dropType('interop_addr');
  truthy('dropType', !(await db.listTypes({ nameOnly: true })).includes('interop_addr'), 'absent', await db.listTypes({ nameOnly: true }));
});

const EDGE = 'interop_edge';

// Inputs the client passes through untouched (plain strings), where the real
// server's answer comes from the Java parser it uses (JSONCodecs:
// InetAddress.getByName, LocalTime.parse, LocalDate.parse) or from Cassandra.
// These cases come from astra-db-ts's own tables test suite
// (tests/integration/documents/tables/datatypes.test.ts, indexes.test.ts,
// insert-one.test.ts), which runs against the real server. Each check here
// stands alone.
section('edge inputs', async () => {
  await dropIfExists(EDGE);
  const table = await db.createTable(EDGE, {
    definition: {
      columns: { k: 'text', i: 'inet', t: 'time', d: 'date', l: { type: 'list', valueType: 'inet' }, s: { type: 'set', valueType: 'timestamp' } },
      primaryKey: 'k',
    },
  });
  let n = 0;
  const roundTrip = (col, input, want, note) => {
    const label = `${col} ${JSON.stringify(String(input))} is accepted and reads back as ${want}`;
    return indep(label, async () => {
      const k = `r${n++}`;
      try {
        await table.insertOne({ k, [col]: input });
      } catch (e) {
        const f = unexpected(label, e);
        f.note = note;
        throw f;
      }
      const got = (await table.findOne({ k }))?.[col];
      eq(label, got === null || got === undefined ? got : got.toString(), want, note);
    });
  };
  const refused = (label, row, code, note) => indep(label, async () => {
    await rejects(label, () => table.insertOne(row), code).catch((e) => {
      if (e instanceof CheckFailure) e.note = note;
      throw e;
    });
  });

  const inetNote = 'the real server parses inet with java.net.InetAddress.getByName (JSONCodec.ToCQL.inetAddressFromString), which takes the 1-, 2- and 3-part IPv4 forms';
  await roundTrip('i', '127.1', '127.0.0.1', inetNote);
  await roundTrip('i', '127.0.1', '127.0.0.1', inetNote);
  await roundTrip('i', '192.168.36095', '192.168.140.255', inetNote);
  await roundTrip('i', '192.11046143', '192.168.140.255', inetNote);
  await roundTrip('i', '::ffff:192.168.0.1', '192.168.0.1', 'IPv4-mapped IPv6 becomes an Inet4Address in Java');
  await refused('inet "10.10.10.1000"', { k: 'bad', i: '10.10.10.1000' }, 'INVALID_COLUMN_VALUES');
  await refused('inet "127.0.0.1/16"', { k: 'bad', i: '127.0.0.1/16' }, 'INVALID_COLUMN_VALUES');

  const timeNote = 'the real server parses time with java.time.LocalTime.parse (ISO_LOCAL_TIME: a fraction of 0 to 9 digits after the point)';
  await roundTrip('t', '23:59:00.', '23:59:00.000000000', timeNote);
  await roundTrip('t', '23:59', '23:59:00.000000000');
  await refused('time with 10 fraction digits', { k: 'bad', t: '00:00:00.0000000000' }, 'INVALID_COLUMN_VALUES', timeNote);
  await refused('time "24:00:00"', { k: 'bad', t: '24:00:00' }, 'INVALID_COLUMN_VALUES');

  const dateNote = 'the real server parses date with java.time.LocalDate.parse (ISO_LOCAL_DATE: a sign only on years of more than 4 digits)';
  await refused('date "+2000-01-01" (sign on a 4-digit year)', { k: 'bad', d: '+2000-01-01' }, 'INVALID_COLUMN_VALUES', dateNote);
  await roundTrip('d', '0000-01-01', '0000-01-01');
  await roundTrip('d', '-0001-01-01', '-0001-01-01');
  await roundTrip('d', date('+500000-12-31'), '+500000-12-31');
  await roundTrip('d', date('-500000-12-31'), '-500000-12-31');

  const keyNote = 'Cassandra refuses an empty value or one over 65535 bytes for a single-column partition key (InvalidRequestException -> INVALID_DATABASE_QUERY)';
  await refused('empty string as the whole partition key', { k: '' }, 'INVALID_DATABASE_QUERY', keyNote);
  await refused('partition key of 65536 bytes', { k: 'a'.repeat(65536) }, 'INVALID_DATABASE_QUERY', keyNote);
  await indep('partition key of 65535 bytes is accepted', async () => {
    await table.insertOne({ k: 'a'.repeat(65535) });
    ok('partition key of 65535 bytes is accepted');
  });

  await indep('createIndex {list: "$values"} / {set: "$values"}', async () => {
    const note = 'ApiRegularIndex.createApiIndexForCollection ignores the map component for list/set and always indexes values';
    for (const [name, col] of [['interop_edge_l', 'l'], ['interop_edge_s', 's']]) {
      try {
        await table.createIndex(name, { [col]: '$values' });
      } catch (e) {
        const f = unexpected(`createIndex ${name} on {${col}: "$values"}`, e);
        f.note = note;
        throw f;
      }
    }
    const defs = Object.fromEntries((await table.listIndexes()).map((i) => [i.name, i.definition.column]));
    eq('createIndex {list: "$values"} / {set: "$values"} (the client suite form) makes values indexes', [defs.interop_edge_l, defs.interop_edge_s], [{ l: '$values' }, { s: '$values' }], note);
  });

  await indep('blob primary key', async () => {
    const bt = await db.createTable('interop_edge_blob', { definition: { columns: { b: 'blob', n: 'int' }, primaryKey: 'b' } });
    const res = await bt.insertOne({ b: blob(Buffer.from('smoke_on_the_water')), n: 1 });
    const raw = res.insertedId.b.raw();
    eq('insertOne with a blob primary key: insertedId decodes to the same blob', typeof raw === 'object' && '$binary' in raw ? raw.$binary : raw, 'c21va2Vfb25fdGhlX3dhdGVy',
      'the real server writes insertedIds from the raw CQL values with Jackson: a blob (ByteBuffer) is a plain base64 string; the client wraps it as {$binary: <string>} (DataAPIBlob[$DeserializeForTable], target InsertedId)');
    eq('findOne by blob primary key', (await bt.findOne({ b: blob(Buffer.from('smoke_on_the_water')) }))?.n, 1);
  });
  await db.dropTable('interop_edge_blob', { ifExists: true });
});

section('astra url layout', async () => {
  // Environment "astra": {endpoint}/api/json/v1/{keyspace}/{table}. The
  // local server serves the same commands there. (The same token as the
  // other sections: the server may be set to accept only that one.)
  const astra = new DataAPIClient(new UsernamePasswordTokenProvider('cassandra', 'cassandra'), { environment: 'astra', logging: [{ events: 'all', emits: 'event' }] });
  const adb = astra.db(endpoint, { keyspace });
  truthy('listTables under /api/json/v1', Array.isArray(await adb.listTables({ nameOnly: true })), 'an array', 'not an array');
  const t = adb.table(MANY);
  eq('findOne under /api/json/v1', await t.findOne({ id: 1 }, { projection: { id: 1 } }), { id: 1 });
});

section('auth', async () => {
  // Only when the server was started to accept exactly the program's token
  // (the Go test does: dataapitest.WithToken).
  if (process.env.INTEROP_TOKEN_CHECKED !== '1') {
    ok('skipped: the server accepts any token (set INTEROP_TOKEN_CHECKED=1 when it accepts only cassandra/cassandra)');
    return;
  }
  const wrong = new DataAPIClient(new UsernamePasswordTokenProvider('cassandra', 'wrong'), { environment: 'hcd', logging: [{ events: 'all', emits: 'event' }] });
  const e = await rejects('a wrong token (HTTP 401) surfaces as a DataAPIResponseError', () => wrong.db(endpoint, { keyspace }).listTables(), 'UNAUTHENTICATED_REQUEST');
  eq('401 error scope', [e.errorDescriptors[0].family, e.errorDescriptors[0].scope], ['REQUEST', 'SECURITY']);
});

section('errors', async () => {
  const table = db.table(MANY);
  await rejects('insertOne with an unknown column', () => table.insertOne({ id: 1, nope: 1 }), 'UNKNOWN_TABLE_COLUMNS');
  await rejects('insertOne without the primary key', () => table.insertOne({ n: 1 }), 'MISSING_PRIMARY_KEY_COLUMNS');
  await rejects('insertOne with an out-of-range int', () => table.insertOne({ id: 1, n: 2 ** 31 }), 'INVALID_COLUMN_VALUES');
  await rejects('find with an unknown column in the filter', () => table.find({ nope: 1 }).toArray(), 'UNKNOWN_TABLE_COLUMNS');
  await rejects('find with an unknown operator', () => table.find({ n: { $regex: 'x' } }).toArray(), 'FILTER_UNSUPPORTED_OPERATOR');
  await rejects('createTable with an unknown type', () => db.createTable('interop_bad', { definition: { columns: { id: 'varchar' }, primaryKey: 'id' } }), 'UNKNOWN_PRIMITIVE_DATA_TYPE');
  await rejects('createTable with a primary key column that is not defined', () => db.createTable('interop_bad', { definition: { columns: { id: 'text' }, primaryKey: 'nope' } }), 'UNKNOWN_PARTITION_COLUMNS');
  await rejects('raw command: countDocuments on a table', () => db.command({ countDocuments: {} }, { table: MANY }), 'UNSUPPORTED_TABLE_COMMAND');
  const e = await rejects('raw command: unknown command', () => db.command({ frobnicate: {} }, { table: MANY }), 'COMMAND_UNKNOWN');
  const d = e.errorDescriptors[0];
  eq('error object shape', Object.keys(d).sort(), ['errorCode', 'family', 'id', 'message', 'scope', 'title']);
});

section('collections', async () => {
  // The layout of LangChain's AstraDBStore: {_id, value}, indexing allow ["_id"].
  const COLL = 'interop_coll';
  await db.dropCollection(COLL);
  const coll = await db.createCollection(COLL, { indexing: { allow: ['_id'] } });
  const listed = await db.listCollections();
  const info = listed.find((c) => c.name === COLL);
  eq('listCollections shows the indexing option', info && info.definition && info.definition.indexing, { allow: ['_id'] });
  await db.createCollection(COLL, { indexing: { allow: ['_id'] } });
  ok('createCollection again with the same options is accepted');
  await rejects('createCollection again with other options', () => db.createCollection(COLL, { indexing: { deny: ['x'] } }), 'EXISTING_COLLECTION_DIFFERENT_SETTINGS');

  const ins = await coll.insertMany([{ _id: 'a', value: { n: 1 } }, { _id: 'b', value: 'YmI=' }, { _id: 'c', value: null }]);
  eq('insertMany insertedIds', ins.insertedIds, ['a', 'b', 'c']);
  try {
    await coll.insertMany([{ _id: 'd', value: 1 }, { _id: 'a', value: 2 }, { _id: 'e', value: 3 }], { ordered: false });
    throw new CheckFailure('unordered insertMany with an existing _id', 'CollectionInsertManyError', 'no error');
  } catch (e) {
    if (e instanceof CheckFailure) throw e;
    const codes = (e.errors ? e.errors() : []).flatMap((c) => c.errorDescriptors.map((d) => d.errorCode));
    eq('unordered insertMany with an existing _id: the error', codes, ['DOCUMENT_ALREADY_EXISTS']);
    const done = e.insertedIds ? [...e.insertedIds()].sort() : e.partialResult;
    eq('unordered insertMany with an existing _id: the others inserted', done, ['d', 'e']);
  }
  const got = await coll.find({ _id: { $in: ['c', 'zz', 'a'] } }, { projection: { '*': true } }).toArray();
  eq('find $in with projection *', got.map((d) => d._id).sort(), ['a', 'c']);
  eq('findOne by _id', await coll.findOne({ _id: 'a' }), { _id: 'a', value: { n: 1 } });
  eq('findOne missing', await coll.findOne({ _id: 'zz' }), null);
  await rejects('filter on a path left out of indexing', () => coll.find({ value: 1 }).toArray(), 'FILTER_PATH_UNINDEXED');

  const r = await coll.findOneAndReplace({ _id: 'a' }, { _id: 'a', value: 'new' }, { returnDocument: 'after' });
  eq('findOneAndReplace returns the document after', r, { _id: 'a', value: 'new' });
  const up = await coll.replaceOne({ _id: 'u' }, { value: 5 }, { upsert: true });
  eq('replaceOne upsert', [up.matchedCount, up.modifiedCount, up.upsertedId], [0, 0, 'u']);
  eq('the upserted document', await coll.findOne({ _id: 'u' }), { _id: 'u', value: 5 });

  const many = [];
  for (let i = 0; i < 45; i++) many.push({ _id: `k${String(i).padStart(2, '0')}`, value: i });
  await coll.insertMany(many);
  const m0 = mark();
  const all = await coll.find({}, { projection: { _id: 1 } }).toArray();
  eq('find({}) pages through every document', all.length, 45 + 6);
  eq('pages of 20 documents', commandsSince(m0, 'find').length, 3);
  const del = await coll.deleteMany({ _id: { $in: many.slice(0, 30).map((d) => d._id) } });
  eq('deleteMany $in counts what it deleted', del.deletedCount, 30);
  eq('countDocuments after', await coll.countDocuments({}, 1000), 21);
  eq('deleteOne of a missing _id', (await coll.deleteOne({ _id: 'zz' })).deletedCount, 0);
  await db.dropCollection(COLL);
  eq('dropCollection', (await db.listCollections({ nameOnly: true })).includes(COLL), false);
});

section('cleanup', async () => {
  for (const t of [TYPES, MANY, PAGING, VEC, UPD, IDX, EDGE]) await db.dropTable(t, { ifExists: true });
  const left = (await db.listTables({ nameOnly: true })).filter((n) => n.startsWith('interop_'));
  eq('all interop tables dropped', left, []);
});

// ---------------------------------------------------------------------------

console.log(`interop: @datastax/astra-db-ts against ${endpoint} (environment hcd, keyspace ${keyspace})`);
for (const s of sections) {
  if (only.length && !only.includes(s.name)) continue;
  current = s.name;
  try {
    await s.fn();
  } catch (e) {
    const f = e instanceof CheckFailure
      ? e
      : new CheckFailure('unexpected exception', 'no exception', e instanceof DataAPIResponseError
        ? { DataAPIResponseError: e.errorDescriptors, command: e.command }
        : (e && e.stack) || String(e));
    report(s.name, f);
    console.log(`        (rest of section "${s.name}" skipped)`);
  }
}
console.log(`interop: ${passed} checks passed, ${failures.length} failed`);
for (const f of failures) console.log(`  failed: ${f}`);
process.exit(failures.length ? 1 : 0);

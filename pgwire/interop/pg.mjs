// Interop check: node-postgres (the `pg` package) against the PostgreSQL
// front end, the way a Node application would use it.
//
//   PGURL=postgres://u:token@127.0.0.1:5433/default_keyspace node pg.mjs
//
// Each check prints one line ("ok" or "FAIL" with what was expected and
// what came back); the exit status is 1 if any check failed.

import { isDeepStrictEqual, inspect } from 'node:util';
import pg from 'pg';

const url = process.env.PGURL;
if (!url) {
  console.error('pg.mjs: set PGURL, e.g. postgres://u:token@127.0.0.1:5433/default_keyspace');
  process.exit(2);
}

let failed = 0;
function check(name, got, want) {
  if (isDeepStrictEqual(got, want)) {
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}: got ${inspect(got, { depth: 5 })}, want ${inspect(want, { depth: 5 })}`);
  }
}

async function expectError(name, client, sql, params, code) {
  try {
    await client.query(sql, params);
    check(name, 'no error', code);
  } catch (e) {
    check(name, e.code, code);
  }
}

const pool = new pg.Pool({ connectionString: url, max: 4 });
const c = await pool.connect();
try {
  await c.query('CREATE TABLE pg_items (cat text, id int, name text, price decimal, qty bigint, ok boolean, at timestamp, ' +
    'tags set<text>, scores list<int>, attrs map<text, text>, raw blob, u uuid, v vector<float, 3>, PRIMARY KEY ((cat), id))');
  await c.query('CREATE VECTOR INDEX pg_items_v ON pg_items (v)');
  const at = new Date('2024-01-02T03:04:05.678Z');
  const ins = 'INSERT INTO pg_items (cat, id, name, price, qty, ok, at, tags, scores, attrs, raw, u, v) ' +
    'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)';
  const r = await c.query(ins, ['fruit', 1, 'apple', '1.25', '9007199254740993', true, at, ['red', 'sweet'], [3, 1],
    JSON.stringify({ origin: 'NZ' }), Buffer.from([1, 2, 3]), '5b6d9b2c-1c8a-4b7e-9f0e-3b2f3c4d5e6f', '[1,0,0]']);
  check('insert rowCount', r.rowCount, 1);
  await c.query(ins, ['fruit', 2, 'pear', '0.5', 3, false, at, ['green'], [], '{}', null, null, '[0,1,0]']);
  await c.query(ins, ['veg', 3, 'leek', '2', 7, true, at, [], [5], '{}', null, null, '[0,0,1]']);

  const one = await c.query('SELECT * FROM pg_items WHERE cat = $1 AND id = $2', ['fruit', 1]);
  const row = one.rows[0];
  check('text', row.name, 'apple');
  check('decimal as numeric (string)', row.price, '1.25');
  check('bigint beyond 2^53 (string)', row.qty, '9007199254740993');
  check('boolean', row.ok, true);
  check('timestamp as timestamptz (Date)', row.at.toISOString(), at.toISOString());
  check('set as text[]', row.tags, ['red', 'sweet']);
  check('list as int4[]', row.scores, [3, 1]);
  check('map as json', row.attrs, { origin: 'NZ' });
  check('blob as bytea', [...row.raw], [1, 2, 3]);
  check('uuid', row.u, '5b6d9b2c-1c8a-4b7e-9f0e-3b2f3c4d5e6f');
  check('vector as pgvector text', row.v, '[1,0,0]');
  check('field types', one.fields.map((f) => [f.name, f.dataTypeID]),
    [['cat', 25], ['id', 23], ['at', 1184], ['attrs', 114], ['name', 25], ['ok', 16], ['price', 1700], ['qty', 20],
      ['raw', 17], ['scores', 1007], ['tags', 1009], ['u', 2950], ['v', 25]]);

  const filt = await c.query('SELECT name FROM pg_items WHERE cat = $1 AND qty > $2 ORDER BY name', ['fruit', 2]);
  check('filter', filt.rows.map((x) => x.name), ['apple', 'pear']);
  const grp = await c.query('SELECT cat, count(*) AS n, sum(qty) AS total FROM pg_items GROUP BY cat ORDER BY cat');
  check('group by', grp.rows, [{ cat: 'fruit', n: '2', total: '9007199254740996' }, { cat: 'veg', n: '1', total: '7' }]);
  const ann = await c.query('SELECT name FROM pg_items ORDER BY v ANN OF $1 LIMIT 2', ['[0,0.9,0.1]']);
  check('ann of', ann.rows.map((x) => x.name), ['pear', 'leek']);
  const fns = await c.query('SELECT version(), current_database()');
  check('current_database()', fns.rows[0].current_database, 'default_keyspace');

  await expectError('syntax error', c, 'SELEKT 1', [], '42601');
  await expectError('unknown table', c, 'SELECT * FROM pg_nope', [], '42P01');
  await expectError('unknown column', c, 'SELECT nope FROM pg_items', [], '42703');
  await expectError('bad parameter', c, 'SELECT * FROM pg_items WHERE cat = $1 AND id = $2', ['fruit', 'one'], '22P02');

  await c.query('BEGIN');
  await c.query('DELETE FROM pg_items WHERE cat = $1 AND id = $2', ['veg', 3]);
  await c.query('ROLLBACK');
  const after = await c.query('SELECT count(*) AS n FROM pg_items');
  check('rollback keeps the row', after.rows[0].n, '3');

  // Several clients of the pool at once.
  const counts = await Promise.all([1, 2, 3, 4].map(() => pool.query('SELECT count(*) AS n FROM pg_items WHERE cat = $1', ['fruit'])));
  check('concurrent pool queries', counts.map((x) => x.rows[0].n), ['2', '2', '2', '2']);
  await c.query('DROP TABLE pg_items');
} catch (e) {
  failed++;
  console.log(`FAIL unexpected error: ${e.code || ''} ${e.message}`);
} finally {
  c.release();
  await pool.end();
}
if (failed > 0) {
  console.log(`${failed} check(s) failed`);
  process.exit(1);
}
console.log('all checks passed');

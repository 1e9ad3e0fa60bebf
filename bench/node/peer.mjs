// The TypeScript-client peer of the astrasql benchmarks: one scenario run
// per invocation, driven by bench/main.go. Argument: a JSON spec
// {endpoint, token, op, table, rows, ops, concurrency, chunkSize, queries,
// keys, grp, note}.
// Prints one JSON line: {rows, secs, cpuSecs, p50us, p99us, opsPerSec}.
// Only the measured part is timed (not node's start-up or the import).
import { DataAPIClient, vector } from '@datastax/astra-db-ts';

const spec = JSON.parse(process.argv[2]);
const dim = 384;
const baseMs = Date.UTC(2026, 0, 1);

// The same rows and vectors as bench/data.go.
function vecOf(seed) {
  let x = (Math.imul(seed, 2654435761) + 1) >>> 0;
  const v = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    v[j] = (x | 0) / 2147483648;
  }
  return v;
}

function uidOf(i) {
  const hi = (BigInt(i) * 0x9E3779B97F4A7C15n) & 0xFFFFFFFFFFFFFFFFn;
  const lo = BigInt(i) + 1n;
  const b = hi.toString(16).padStart(16, '0') + lo.toString(16).padStart(16, '0');
  const bytes = b.match(/../g).map((h) => parseInt(h, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = bytes.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function makeRow(i) {
  const h = Math.imul(i, 2654435761) >>> 0;
  return {
    id: i,
    name: `name-${String(i).padStart(7, '0')}`,
    grp: `g${String(i % 16).padStart(2, '0')}`,
    n: (i * 7919) % 100000,
    big: i * 1000003,
    score: (i % 1000) / 7,
    ok: i % 3 === 0,
    ts: new Date(baseMs + i * 1000),
    uid: uidOf(i),
    note: `note ${h.toString(16).padStart(8, '0')} lorem ipsum dolor sit amet`,
  };
}

function pct(sorted, p) {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(p * sorted.length) - 1));
  return sorted[i];
}

const client = new DataAPIClient({ environment: 'other' });
const db = client.db(spec.endpoint, { token: spec.token, keyspace: 'default_keyspace' });
const table = db.table(spec.table);

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const rows = await fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { rows, secs, cpuSecs: (c.user + c.system) / 1e6 };
}

async function main() {
  switch (spec.op) {
    case 'insert': {
      // Rows are built before timing; the client's own work (serialising,
      // chunking, requests) is what is measured.
      const rows = [];
      for (let i = 0; i < spec.rows; i++) {
        const r = makeRow(i);
        r.v = vector(vecOf(i));
        rows.push(r);
      }
      const opts = {};
      if (spec.chunkSize) opts.chunkSize = spec.chunkSize;
      if (spec.concurrency) opts.concurrency = spec.concurrency;
      const out = await timed(async () => {
        const res = await table.insertMany(rows, opts);
        return res.insertedCount;
      });
      return out;
    }
    case 'scan': {
      return timed(async () => {
        let n = 0;
        let sink = 0;
        for await (const row of table.find({})) {
          sink += row.id;
          n++;
        }
        return n;
      });
    }
    case 'lookup': {
      const lat = new Array(spec.ops);
      let next = 0;
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const worker = async () => {
        for (;;) {
          const i = next++;
          if (i >= spec.ops) return;
          const id = (Math.imul(i, 2654435761) >>> 0) % spec.rows;
          const s = process.hrtime.bigint();
          const row = await table.findOne({ id });
          if (!row) throw new Error(`findOne ${id}: no row`);
          lat[i] = Number(process.hrtime.bigint() - s) / 1e3;
        }
      };
      await Promise.all(Array.from({ length: spec.concurrency }, worker));
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      lat.sort((a, b) => a - b);
      return { rows: spec.ops, secs, cpuSecs: (c.user + c.system) / 1e6, p50us: pct(lat, 0.5), p99us: pct(lat, 0.99), opsPerSec: spec.ops / secs };
    }
    case 'vector': {
      const qs = [];
      for (let i = 0; i < spec.queries; i++) qs.push(vector(vecOf(10_000_000 + i)));
      const lat = [];
      const t0 = process.hrtime.bigint();
      for (const q of qs) {
        const s = process.hrtime.bigint();
        const rows = await table.find({}, { sort: { v: q }, limit: 10, projection: { id: 1, name: 1 } }).toArray();
        if (rows.length !== 10) throw new Error(`vector search: ${rows.length} rows, want 10`);
        lat.push(Number(process.hrtime.bigint() - s) / 1e3);
      }
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      lat.sort((a, b) => a - b);
      return { rows: qs.length, secs, p50us: pct(lat, 0.5), p99us: pct(lat, 0.99), opsPerSec: qs.length / secs };
    }
    case 'in': {
      // A key list longer than one $in may hold (100 values): a find per
      // 100 keys, one after the other, as a program written against the
      // client at its defaults does. The keys are those of bench/latency.go.
      const step = Math.max(1, Math.floor(spec.rows / spec.keys));
      return timed(async () => {
        let n = 0;
        for (let q = 0; q < spec.queries; q++) {
          const keys = Array.from({ length: spec.keys }, (_, j) => (j * step + q) % spec.rows);
          for (let lo = 0; lo < keys.length; lo += 100) {
            const rows = await table.find({ id: { $in: keys.slice(lo, lo + 100) } }).toArray();
            n += rows.length;
          }
        }
        return n;
      });
    }
    case 'update':
    case 'delete': {
      // UPDATE/DELETE ... WHERE grp = ?: read the keys, then one command per
      // row, one after the other.
      return timed(async () => {
        const ids = [];
        for await (const row of table.find({ grp: spec.grp }, { projection: { id: 1 } })) ids.push(row.id);
        for (const id of ids) {
          if (spec.op === 'update') await table.updateOne({ id }, { $set: { note: spec.note } });
          else await table.deleteOne({ id });
        }
        return ids.length;
      });
    }
    default:
      throw new Error(`unknown op ${spec.op}`);
  }
}

main().then(
  (r) => {
    console.log(JSON.stringify(r));
    client.close().finally(() => process.exit(0));
  },
  (e) => {
    console.error('peer:', e?.message ?? e);
    process.exit(1);
  },
);

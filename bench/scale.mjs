// Scale of the readers (called at the end of bench/run.mjs; alone: node bench/scale.mjs after npm run build).
// Each large case is timed beside a small case of the same shape, and the ratio of the times is printed
// beside the ratio n log n allows (n = LVs, PVs or segments): growth must be no worse than n log n.
// How every row is timed, small and large case alike (timeCases): both cases are first warmed up (run
// for at least WARM_MS and twice each, so the JIT has seen both sizes); then SAMPLES timed samples are
// taken of each, small and large alternately (both see the same load on a shared machine). A sample
// starts from a collected heap (gc()) and repeats the call as many times as fill SAMPLE_MS (a lone 0.1 ms
// call would time the timer, the JIT and the collector), so the collections a call's garbage causes are
// billed to it, in the small case as in the large; and the results of all its calls are kept until the
// sample ends (a caller keeps what it asked for), so a small case's results are not collected young for
// free while a large case's, too big to die young, are copied and promoted by the collector. Each sample is measured twice: in CPU time of the
// process (user + system, all threads: the collector's helpers and libuv's I/O threads included), which
// another process on the machine barely changes, and in wall-clock time. The ms printed are the CPU time
// per call of the best sample, and the ratio (met or not) is that of the best CPU samples; the ratio of
// the best wall-clock samples is printed beside it. Rows with an untimed setup (fresh images before each
// call) time each call alone, after its setup.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as lvmkit from '../dist/index.js';

const TiB = 2 ** 40;
const MiB = 2 ** 20;
const MDA_OFFSET = 4096;
const MDA_SIZE = 32 * MiB;
const PE_START = MDA_OFFSET + MDA_SIZE + 1 * MiB; // bytes, 1 MiB aligned
const EXTENT = 4 * MiB;

function uuid(seed) {
  const abc = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < 32; i++) { x = (x * 1103515245 + 12345) >>> 0; s += abc[(x >>> 16) % 62]; }
  return lvmkit.formatUuid(s);
}

/** A VG model: `nPvs` PVs of `pvBytes`, `nLvs` LVs of `segs` segments each, spread over the PVs. */
export function makeVg(name, nPvs, pvBytes, nLvs, segs) {
  const peCount = Math.floor((pvBytes - PE_START) / EXTENT);
  const pvs = [];
  for (let i = 0; i < nPvs; i++) {
    pvs.push({ key: `pv${i}`, id: uuid(1000 + i), deviceHint: `/dev/scale${i}`, status: ['ALLOCATABLE'], flags: [], tags: [],
      devSize: pvBytes / 512, peStart: PE_START / 512, peCount, extra: [] });
  }
  const next = new Array(nPvs).fill(0);
  const lvs = [];
  for (let l = 0; l < nLvs; l++) {
    const segments = [];
    for (let s = 0; s < segs; s++) {
      // Alternate PVs so adjacent segments never merge.
      const p = (l + s) % nPvs;
      const pe = next[p];
      next[p] += 2; // leave a gap: no two segments are contiguous
      segments.push({ startExtent: s, extentCount: 1, type: 'striped', tags: [], areas: [{ kind: 'pv', pv: pvs[p], pe }], body: [], extra: [] });
    }
    lvs.push({ name: `lv${l}`, id: uuid(50_000 + l), status: ['READ', 'WRITE', 'VISIBLE'], flags: [], tags: [],
      creationTime: 1795300000, creationHost: 'scale', segments, extra: [] });
  }
  return { name, id: uuid(7), seqno: 1, format: 'lvm2', status: ['RESIZEABLE', 'READ', 'WRITE'], flags: [], tags: [],
    extentSize: EXTENT / 512, maxLv: 0, maxPv: 0, allocationPolicy: 'normal', metadataCopies: 0, extra: [], header: [], lvs, pvs };
}

function writeAt(fd, offset, bytes) {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
}

/** Sparse images of the VG's PVs; returns the paths and the byte size actually used. */
export function writeImages(dir, vg, pvBytes) {
  const text = lvmkit.renderRawText(vg, { description: 'lvmkit bench/scale.mjs', time: 1795300000 });
  const stored = lvmkit.encodeMetadataText(text);
  if (stored.length > lvmkit.maxMetadataTextSize(MDA_SIZE)) throw new Error(`metadata text ${stored.length} bytes does not fit`);
  const paths = [];
  vg.pvs.forEach((pv, i) => {
    const path = join(dir, `${vg.name}-pv${i}.img`);
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, pvBytes);
      const withMda = i < 2;
      writeAt(fd, 512, lvmkit.encodeLabelSector({
        pvUuid: pv.id, deviceSize: pvBytes, dataAreas: [{ offset: PE_START, size: 0 }],
        metadataAreas: withMda ? [{ offset: MDA_OFFSET, size: MDA_SIZE }] : [], extFlags: 1,
      }));
      if (withMda) {
        writeAt(fd, MDA_OFFSET, lvmkit.encodeMdaHeader({ start: MDA_OFFSET, size: MDA_SIZE,
          slots: [{ offset: 512, size: stored.length, checksum: lvmkit.lvmCrc(stored), flags: 0 }] }));
        writeAt(fd, MDA_OFFSET + 512, stored);
      }
    } finally {
      closeSync(fd);
    }
    paths.push(path);
  });
  return { paths, textBytes: stored.length };
}

/** Largest sparse file size up to `want` that this file system allows (ext4 stops 4 KiB short of 16 TiB). */
function sparseLimit(dir, want) {
  const probe = join(dir, 'probe.img');
  for (const size of [want, want - MiB]) {
    const fd = openSync(probe, 'w');
    try { ftruncateSync(fd, size); return size; } catch { /* EFBIG */ } finally { closeSync(fd); rmSync(probe, { force: true }); }
  }
  throw new Error('cannot make a sparse file near 16 TiB here');
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const WARM_MS = 200;
const SAMPLE_MS = 100;
const SAMPLES = 5;

/** CPU time of the process so far (user + system, every thread), in ms. */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Time per call of `fn(c)` for each case (see the header): { cpu, wall } (best sample of each, ms per
 * call), one per case, after an equal warm-up of every case. With `setup`, setup(c) runs untimed before
 * each call.
 */
async function timeCases(cases, fn, setup) {
  /** `reps` calls of fn(c) (from a collected heap if `collect`): [cpu ms, wall ms] spent in them (setups excluded). */
  const sample = async (c, reps, collect = true) => {
    let cpu = 0;
    let wall = 0;
    // Every result is kept until the sample ends, as a caller keeps what it asked for: so a small case's
    // results live through the same collections as a large one's, instead of dying young for free.
    const kept = [];
    if (collect && !setup) gc();
    for (let r = 0; r < reps; r++) {
      if (setup || r === 0) {
        if (setup) { await setup(c); if (collect) gc(); }
        cpu -= cpuMs(); wall -= performance.now();
      }
      kept.push(await fn(c));
      if (setup || r === reps - 1) { cpu += cpuMs(); wall += performance.now(); }
    }
    kept.length = 0;
    return [cpu, wall];
  };
  // Warm-up; it also gives the number of calls per sample.
  const reps = [];
  for (const c of cases) {
    let n = 0;
    let spent = 0;
    let fastest = Infinity;
    while (n < 2 || spent < WARM_MS) { const [, t] = await sample(c, 1, false); spent += t; fastest = Math.min(fastest, t); n++; }
    reps.push(Math.max(1, Math.min(10_000, Math.ceil(SAMPLE_MS / Math.max(fastest, 1e-3)))));
  }
  const best = cases.map(() => ({ cpu: Infinity, wall: Infinity }));
  for (let s = 0; s < SAMPLES; s++) {
    for (let i = 0; i < cases.length; i++) {
      const [cpu, wall] = await sample(cases[i], reps[i]);
      best[i].cpu = Math.min(best[i].cpu, cpu / reps[i]);
      best[i].wall = Math.min(best[i].wall, wall / reps[i]);
    }
  }
  return best;
}

const nlogn = (n) => n * Math.log2(n);

export async function benchScale() {
  const dir = mkdtempSync(join(tmpdir(), 'lvmkit-scale-'));
  const out = [];
  try {
    const pvBytes = sparseLimit(dir, 16 * TiB);
    // Shapes: [what, small n, large n, make(vg name, n) -> VG, reports]
    const shapes = [
      ['VG of PVs and LVs (n = LVs; PVs = n/156)', 625, 10_000, (name, n) => makeVg(name, Math.max(4, Math.round(n / 156.25)), pvBytes, n, 1),
        [['pvs', {}], ['vgs', {}], ['lvs', {}], ['lvs --segments', { segments: true }]]],
      ['one LV of n segments', 625, 10_000, (name, n) => makeVg(name, 4, pvBytes, 1, n),
        [['lvs --segments', { segments: true }], ['pvs --segments', { segments: true }], ['lvs', {}]]],
    ];
    for (const [what, small, large, make, reports] of shapes) {
      const cases = [];
      for (const n of [small, large]) {
        const vg = make(`scale${n}x${cases.length}${out.length}`, n);
        const { paths, textBytes } = writeImages(dir, vg, pvBytes);
        cases.push({ n, vg, paths, textBytes });
      }
      for (const [verb, opts] of reports) {
        const kind = verb.split(' ')[0];
        for (const c of cases) {
          const check = await lvmkit.reportCommand(kind, { devices: c.paths, noheadings: true, ...opts });
          if (check.exitCode) throw new Error(`${verb} failed on the ${c.n} case: ${check.warnings.join('; ')}`);
        }
        const t = await timeCases(cases, (c) => lvmkit.reportCommand(kind, { devices: c.paths, ...opts }));
        out.push(rowOf(`${what}: ${verb}`, cases, t, (c) => `${c.n} (${c.vg.pvs.length} PVs)`,
          (c) => `${c.n} (${c.vg.pvs.length} PVs, ${(c.textBytes / MiB).toFixed(1)} MiB text)`));
      }
      for (const c of cases) for (const p of c.paths) rmSync(p, { force: true });
    }
    out.push(...await benchScaleMore(dir, pvBytes));
    console.log(`\nScale (in-process, on sparse PV images of ${(pvBytes / TiB).toFixed(6)} TiB; growth must stay within n log n)`);
    printRows(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** A row: the small and the large case (labels), their times (from timeCases) and the ratios. */
function rowOf(what, cases, t, label = (c) => `${c.n}`, largeLabel = label) {
  return {
    what, small: label(cases[0]), smallMs: t[0].cpu, large: largeLabel(cases[1]), largeMs: t[1].cpu,
    ratio: t[1].cpu / t[0].cpu, wallRatio: t[1].wall / t[0].wall, allowed: nlogn(cases[1].n) / nlogn(cases[0].n),
  };
}

/** Print the rows: small n beside large n (best CPU ms per call), the ratios of the times and the ratio n log n allows. */
function printRows(out) {
  const w = Math.max(...out.map((r) => r.what.length));
  const sw = Math.max(...out.map((r) => r.small.length));
  const lw = Math.max(...out.map((r) => r.large.length));
  console.log(`(ms: CPU time per call, best of ${SAMPLES} samples of at least ${SAMPLE_MS} ms each; ratio of those; wall: ratio of the best wall-clock samples)`);
  console.log(`${'measure'.padEnd(w)}  ${'small n'.padEnd(sw)}  ${'ms'.padStart(8)}  ${'large n'.padEnd(lw)}  ${'ms'.padStart(8)}  ratio   wall  n log n ratio`);
  for (const r of out) {
    const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1)).padStart(8);
    console.log(`${r.what.padEnd(w)}  ${r.small.padEnd(sw)}  ${ms(r.smallMs)}  ${r.large.padEnd(lw)}  ${ms(r.largeMs)}  ${r.ratio.toFixed(1).padStart(5)}  ${r.wallRatio.toFixed(1).padStart(5)}  ${r.allowed.toFixed(1)} (${r.ratio <= r.allowed ? 'met' : 'NOT met'})`);
  }
}

/** CompileOptions of a scanned VG: each PV on the image it was found on. */
const compileOpts = (sv) => ({ pvDevice: (pv) => sv.pvs.get(pv.id)?.device });

function must(ok, what) { if (!ok) throw new Error(`bench/scale.mjs: ${what}`); }

/** Tables, allocation and the write path at scale (see the header); returns rows for printRows. */
export async function benchScaleMore(dir, pvBytes) {
  const out = [];
  const row = (what, cases, t, label, largeLabel) => out.push(rowOf(what, cases, t, label, largeLabel));
  const time = timeCases;
  const build = (tag, make) => [625, 10_000].map((n) => {
    const vg = make(`scale${tag}${n}`, n);
    return { n, vg, ...writeImages(dir, vg, pvBytes) };
  });
  const scanAll = async (cases) => { for (const c of cases) { c.scan = await lvmkit.scanDevices(c.paths); c.sv = c.scan.vgs[0]; must(c.sv, `no VG found in the ${c.n} case`); } };
  const closeAll = async (cases) => { for (const c of cases) { await c.scan?.close(); for (const p of c.paths) rmSync(p, { force: true }); } };
  const one = (vg, lvName, extents, prev) => lvmkit.allocateExtents({
    lvName, extents, stripes: 1, policy: 'normal', maps: lvmkit.buildPvMaps(vg),
    ...(prev ? { prevSegment: prev.segments[prev.segments.length - 1], firstSegment: prev.segments[0] } : {}),
  });

  // A VG of n LVs on n/156 PVs (64 PVs at n = 10,000).
  {
    const cases = build('t', (name, n) => makeVg(name, Math.max(4, Math.round(n / 156.25)), pvBytes, n, 1));
    const label = (c) => `${c.n} (${c.vg.pvs.length} PVs)`;
    const what = 'VG of PVs and LVs (n = LVs)';
    try {
      await scanAll(cases);
      // compileVg's result (~0.4 KB per LV) outlives V8's young generation at 10,000 LVs and not at 625, so
      // the large case pays copying and old-generation collections the small one does not: its ratio is
      // about 55 with node's defaults and about 25 under node --max-semi-space-size=64 (the work is linear:
      // test/dm/compile-work.test.ts counts it).
      for (const c of cases) must(lvmkit.compileVg(c.sv.vg, compileOpts(c.sv)).lvs.length === c.n, `compileVg of ${c.n} LVs`);
      row(`${what}: compileVg`, cases, await time(cases, (c) => lvmkit.compileVg(c.sv.vg, compileOpts(c.sv))), label);
      for (const c of cases) {
        const r = await lvmkit.tableCommand({ devices: c.paths });
        must(!r.exitCode && r.stdout.split('\n').length === c.n + 1, `table of ${c.n} LVs`);
      }
      row(`${what}: table`, cases, await time(cases, (c) => lvmkit.tableCommand({ devices: c.paths })), label);
      for (const c of cases) must(one(c.sv.vg, 'new', 1).extents === 1, `allocation in the VG of ${c.n} LVs`);
      row(`${what}: allocate 1 extent (new LV)`, cases, await time(cases, (c) => one(c.sv.vg, 'new', 1)), label);
      const lv0 = (c) => c.sv.vg.lvs[0];
      row(`${what}: allocate 1 extent (extension)`, cases, await time(cases, (c) => one(c.sv.vg, 'lv0', 1, lv0(c))), label);
      for (const c of cases) { await c.scan.close(); c.scan = undefined; }
      // The write path: each run commits one more LV (and one more extent of lv0) to the images.
      let k = 0;
      const create = (c) => lvmkit.lvcreateCommand({ devices: c.paths, vg: c.vg.name, name: `new${k++}`, extents: '1', host: 'scale', time: 1795300000 });
      for (const c of cases) {
        const r = await create(c);
        must(r.vg.lvs.length === c.n + 1 && r.plan.textSize > 0, `lvcreate in the VG of ${c.n} LVs`);
      }
      row(`${what}: lvcreate -l 1 (changeVg + commit)`, cases, await time(cases, create),
        (c) => `${label(c)}, ${(c.textBytes / MiB).toFixed(1)} MiB text`);
      const extend = (c) => lvmkit.lvresizeCommand({ devices: c.paths, lv: `${c.vg.name}/lv0`, mode: 'extend', extents: '+1' });
      row(`${what}: lvextend -l +1 (changeVg + commit)`, cases, await time(cases, extend), label);
    } finally {
      await closeAll(cases);
    }
  }

  // One LV of n segments, on 4 PVs.
  {
    const cases = build('s', (name, n) => makeVg(name, 4, pvBytes, 1, n));
    const what = 'one LV of n segments';
    try {
      await scanAll(cases);
      const compile = (c) => lvmkit.compileLv(c.sv.vg, c.sv.vg.lvs[0], compileOpts(c.sv));
      for (const c of cases) must(compile(c).device.targets.length === c.n, `compileLv of ${c.n} segments`);
      row(`${what}: compileLv`, cases, await time(cases, compile));
      const table = (c) => lvmkit.tableCommand({ devices: c.paths, names: [`${c.vg.name}/lv0`] });
      for (const c of cases) must((await table(c)).stdout.split('\n').length === c.n + 1, `table of ${c.n} segments`);
      row(`${what}: table VG/LV`, cases, await time(cases, table));
      // n random 4 KiB reads (each inside one extent: the sparse images read as zeros).
      for (const c of cases) c.mapper = compile(c).device.mapper;
      const reads = async (c) => {
        const buf = new Uint8Array(4096);
        let x = 12345;
        const blocks = c.mapper.size / 4096;
        for (let i = 0; i < c.n; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          await c.mapper.readInto((x % blocks) * 4096, buf);
        }
      };
      row(`${what}: n random 4 KiB reads (DmMapper)`, cases, await time(cases, reads));
      row(`${what}: allocate 1 extent (extension)`, cases, await time(cases, (c) => one(c.sv.vg, 'lv0', 1, c.sv.vg.lvs[0])));
    } finally {
      await closeAll(cases);
    }
  }

  // A fragmented PV: n LVs of one extent with a free extent after each, nothing else free (n free areas).
  {
    const fragBytes = (n) => PE_START + 2 * n * EXTENT;
    const what = 'PV of n free areas';
    const cases = [625, 10_000].map((n) => ({ n, vg: makeVg(`scalef${n}`, 1, fragBytes(n), n, 1) }));
    for (const c of cases) must(lvmkit.buildPvMaps(c.vg)[0].areas.length === c.n, `${c.n} free areas`);
    row(`${what}: allocate 1 extent`, cases, await time(cases, (c) => one(c.vg, 'new', 1)));
    for (const c of cases) must(one(c.vg, 'new', c.n).pieces.length === c.n, `${c.n} pieces from ${c.n} free areas`);
    row(`${what}: allocate n extents (every area)`, cases, await time(cases, (c) => one(c.vg, 'new', c.n)));
    // The same through lvcreate -l 100%FREE on images (fresh images before each run: it fills the PV).
    try {
      const setup = (c) => { for (const p of c.paths ?? []) rmSync(p, { force: true }); Object.assign(c, writeImages(dir, c.vg, fragBytes(c.n))); };
      const create = (c) => lvmkit.lvcreateCommand({ devices: c.paths, vg: c.vg.name, name: 'all', extents: '100%FREE', host: 'scale', time: 1795300000 });
      for (const c of cases) { setup(c); must((await create(c)).lv.segments.length === c.n, `lvcreate -l 100%FREE of ${c.n} areas`); }
      row(`${what}: lvcreate -l 100%FREE`, cases, await time(cases, create, setup));
    } finally {
      for (const c of cases) for (const p of c.paths ?? []) rmSync(p, { force: true });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScale();

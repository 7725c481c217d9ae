// Scale of the readers (called at the end of bench/run.mjs; alone: node bench/scale.mjs after npm run build).
// Each large case is timed beside a small case of the same shape, and the ratio of the times is printed
// beside the ratio n log n allows (n = LVs, PVs or segments): growth must be no worse than n log n.
//   - a VG of 64 PVs and 10,000 LVs (vs 4 PVs and 625 LVs): pvs, vgs, lvs, lvs --segments, in process;
//   - PVs of 16 TiB (sparse image files; 16 TiB - 1 MiB where the file system stops short of 16 TiB);
//   - an LV of 10,000 segments (vs 625): lvs --segments and pvs --segments.
// The images are written with lvmkit's own encoders (label, metadata area header, metadata text): metadata
// areas (32 MiB each, room for the 2.7 MiB text of 10,000 LVs and its next version) on the first two PVs
// only, as with pvcreate --metadatacopies 0 on the others.
// Then tables, allocation and the write path (benchScaleMore, same table, same sparse images):
//   - tables: compileVg of the VG of n LVs, the whole in-process `table` command; compileLv of the LV of
//     n segments, `table VG/LV`, and n random 4 KiB reads through its DmMapper;
//   - allocation: buildPvMaps + allocateExtents of one more LV and of an extension in the VG of n LVs;
//     on a fragmented PV of n free areas, one extent, and all n areas at once (n rounds of the allocator);
//   - the write path: lvcreate (changeVg: scan, model, allocate, validate, print ~2.7 MiB of text, commit)
//     and lvextend of one more extent in the VG of n LVs, on the images.
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

/** Median of `runs` timed runs after one warm-up run, each from a collected heap (garbage of one case is not billed to the next). */
async function median(fn, runs) {
  const t = [];
  await fn();
  for (let i = 0; i < runs; i++) { gc(); const a = performance.now(); await fn(); t.push(performance.now() - a); }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
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
        const t = [];
        for (const c of cases) {
          const check = await lvmkit.reportCommand(kind, { devices: c.paths, noheadings: true, ...opts });
          if (check.exitCode) throw new Error(`${verb} failed on the ${c.n} case: ${check.warnings.join('; ')}`);
          t.push(await median(() => lvmkit.reportCommand(kind, { devices: c.paths, ...opts }), c.n > 5000 ? 3 : 5));
        }
        out.push({
          what: `${what}: ${verb}`, small: `${cases[0].n} (${cases[0].vg.pvs.length} PVs)`, smallMs: t[0],
          large: `${cases[1].n} (${cases[1].vg.pvs.length} PVs, ${(cases[1].textBytes / MiB).toFixed(1)} MiB text)`, largeMs: t[1],
          ratio: t[1] / t[0], allowed: nlogn(cases[1].n) / nlogn(cases[0].n),
        });
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

/** Print the rows: small n beside large n, the ratio of the times and the ratio n log n allows. */
function printRows(out) {
  const w = Math.max(...out.map((r) => r.what.length));
  const sw = Math.max(...out.map((r) => r.small.length));
  const lw = Math.max(...out.map((r) => r.large.length));
  console.log(`${'measure'.padEnd(w)}  ${'small n'.padEnd(sw)}  ${'ms'.padStart(8)}  ${'large n'.padEnd(lw)}  ${'ms'.padStart(8)}  ratio  n log n ratio`);
  for (const r of out) {
    console.log(`${r.what.padEnd(w)}  ${r.small.padEnd(sw)}  ${r.smallMs.toFixed(1).padStart(8)}  ${r.large.padEnd(lw)}  ${r.largeMs.toFixed(1).padStart(8)}  ${r.ratio.toFixed(1).padStart(5)}  ${r.allowed.toFixed(1)} (${r.ratio <= r.allowed ? 'met' : 'NOT met'})`);
  }
}

/** Like median(), with an untimed `setup` before each run (e.g. fresh images for a run that fills the VG). */
async function medianWithSetup(setup, fn, runs) {
  const t = [];
  await setup(); await fn();
  for (let i = 0; i < runs; i++) { await setup(); gc(); const a = performance.now(); await fn(); t.push(performance.now() - a); }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const runsFor = (n) => (n > 5000 ? 3 : 5);

/** CompileOptions of a scanned VG: each PV on the image it was found on. */
const compileOpts = (sv) => ({ pvDevice: (pv) => sv.pvs.get(pv.id)?.device });

function must(ok, what) { if (!ok) throw new Error(`bench/scale.mjs: ${what}`); }

/** Tables, allocation and the write path at scale (see the header); returns rows for printRows. */
export async function benchScaleMore(dir, pvBytes) {
  const out = [];
  const row = (what, cases, t, label = (c) => `${c.n}`) => out.push({
    what, small: label(cases[0]), smallMs: t[0], large: label(cases[1]), largeMs: t[1],
    ratio: t[1] / t[0], allowed: nlogn(cases[1].n) / nlogn(cases[0].n),
  });
  // Time per call; a call under 50 ms is repeated within each timed run, small and large case alike (a
  // lone sub-millisecond call measures the timer, the JIT and the collector rather than the algorithm).
  const time = async (cases, fn, setup) => {
    const t = [];
    for (const c of cases) {
      if (setup) { t.push(await medianWithSetup(() => setup(c), () => fn(c), runsFor(c.n))); continue; }
      await fn(c);
      const a = performance.now();
      await fn(c);
      const reps = Math.min(500, Math.max(1, Math.ceil(50 / Math.max(0.01, performance.now() - a))));
      t.push(await median(async () => { for (let i = 0; i < reps; i++) await fn(c); }, 5) / reps);
    }
    return t;
  };
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

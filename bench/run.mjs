// npm run bench: lvmkit's speed, each figure printed beside the baseline it is compared to, in one run.
// Metadata of a VG with 2,000 LVs: parse + model (vs JSON.parse of the same data as JSON), the whole
// in-process `lvs` (read images, parse, model, report) and the `lvmkit lvs` command end to end, beside
// real LVM2's `lvs` on the same VG (when lvm2 and loop devices are available: run as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as lvmkit from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const N_LVS = 2000;
const rows = [];

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }
function timeIt(fn, runs = 7) {
  const t = [];
  for (let i = 0; i < runs; i++) { const a = performance.now(); fn(); t.push(performance.now() - a); }
  return median(t);
}
async function timeAsync(fn, runs = 7) {
  const t = [];
  for (let i = 0; i < runs; i++) { const a = performance.now(); await fn(); t.push(performance.now() - a); }
  return median(t);
}
function row(what, ms, baseline, baseMs, goal) {
  rows.push({ what, ms, baseline, baseMs, goal });
}
function uuid(seed) {
  const abc = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '', x = seed * 2654435761 >>> 0;
  for (let i = 0; i < 32; i++) { x = (x * 1103515245 + 12345) >>> 0; s += abc[x % 62]; }
  return lvmkit.formatUuid(s);
}
function addLvs(vg, pv, n) {
  for (let i = 0; i < n; i++) {
    vg.lvs.push({
      name: `lv${i}`, id: uuid(i + 1).replace(/-/g, '').replace(/^(.{6})(.{4})(.{4})(.{4})(.{4})(.{4})(.{6})$/, '$1-$2-$3-$4-$5-$6-$7'),
      status: ['READ', 'WRITE', 'VISIBLE'], flags: [], tags: [], creationTime: 1795300000 + i, creationHost: 'bench',
      segments: [{ startExtent: 0, extentCount: 1, type: 'striped', tags: [], areas: [{ kind: 'pv', pv, pe: i }], body: [], extra: [] }],
      extra: [],
    });
  }
}

function lvmAvailable() {
  if (process.getuid?.() !== 0) return 'not root';
  if (spawnSync('lvm', ['version'], { stdio: 'ignore' }).status !== 0) return 'lvm not installed';
  return undefined;
}

const work = mkdtempSync(join(tmpdir(), 'lvmkit-bench-'));
const env = { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1', LVM_SYSTEM_DIR: work };
let loop;
try {
  const img = join(work, 'pv.img');
  const why = lvmAvailable();
  let text;
  if (!why) {
    closeSync(openSync(img, 'w'));
    truncateSync(img, 2 * 1024 ** 3);
    loop = execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim();
    const lvm = (...a) => execFileSync('lvm', [a[0], '--devices', loop, ...a.slice(1)], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    lvm('pvcreate', '-y', '--metadatasize', '16m', loop);
    lvm('vgcreate', '-s', '512k', 'lkbench', loop);
    // lvmkit writes the 2,000 LVs in one commit (2,000 lvcreates would take minutes).
    const scan = await lvmkit.scanDevices([img], { write: true });
    const sv = scan.vgs[0];
    addLvs(sv.vg, sv.vg.pvs[0], N_LVS);
    sv.vg.seqno += 1;
    const { commitVg } = await import('../dist/index.js');
    await commitVg(sv.vg, [...sv.pvs.values()], { description: 'lvmkit bench' });
    await scan.close();
    const check = lvm('vgs', '--noheadings', '-o', 'lv_count', 'lkbench').trim();
    if (check !== String(N_LVS)) throw new Error(`real vgs sees ${check} LVs, expected ${N_LVS}`);
    const scan2 = await lvmkit.scanDevices([img]);
    text = scan2.vgs[0].copy.mda.text;
    await scan2.close();

    const realLvs = timeIt(() => lvm('lvs'), 5);
    const inproc = await timeAsync(() => lvmkit.reportCommand('lvs', { devices: [img] }), 7);
    row('lvs in-process: read + parse + model + report (2,000 LVs)', inproc, 'real LVM2 `lvs` whole run', realLvs, 'faster');
    const cliMs = timeIt(() => execFileSync(process.execPath, [cli, 'lvs', '--devices', img], { stdio: ['ignore', 'pipe', 'pipe'] }), 5);
    row('`lvmkit lvs` end to end, node start-up included', cliMs, 'real LVM2 `lvs` whole run', realLvs, 'within 2x');
    const smallReal = timeIt(() => lvm('version'), 5);
    const nodeStart = timeIt(() => execFileSync(process.execPath, ['-e', '0']), 5);
    row('`node -e 0` (start-up floor of any node CLI)', nodeStart, '`lvm version`', smallReal, 'info');
  } else {
    console.log(`(real LVM2 comparison skipped: ${why})`);
    const vg = {
      name: 'lkbench', id: uuid(9999), seqno: 2, format: 'lvm2', status: ['RESIZEABLE', 'READ', 'WRITE'], flags: [], tags: [],
      extentSize: 1024, maxLv: 0, maxPv: 0, allocationPolicy: 'normal', metadataCopies: 0, extra: [], header: [], lvs: [],
      pvs: [{ key: 'pv0', id: uuid(1), deviceHint: '/dev/loop0', status: ['ALLOCATABLE'], flags: [], tags: [], devSize: 4194304, peStart: 32768, peCount: 4000, extra: [] }],
    };
    addLvs(vg, vg.pvs[0], N_LVS);
    const { renderRawText } = await import('../dist/index.js');
    text = renderRawText(vg, { description: 'bench' });
  }

  // Parse + model of the same text, beside JSON.parse of the same data as JSON.
  const parseModel = () => lvmkit.vgFromConfig(lvmkit.parseConfig(text, 'bench'), { codecs: lvmkit.lookupSegtype });
  const vg = parseModel();
  const json = JSON.stringify(vg, (k, v) => (k === 'pv' ? v.key : v));
  const tParse = timeIt(parseModel, 9);
  const tJson = timeIt(() => JSON.parse(json), 9);
  row(`parse + model of the metadata text (${(text.length / 1024).toFixed(0)} KiB)`, tParse, `JSON.parse of the same data (${(json.length / 1024).toFixed(0)} KiB)`, tJson, 'info');
  const tPrint = timeIt(() => lvmkit.printConfig(lvmkit.vgToConfig(vg, { flavour: 'raw', codecs: lvmkit.lookupSegtype }), { flavour: 'raw' }), 9);
  row('model -> text (printer)', tPrint, 'JSON.stringify of the same data', timeIt(() => JSON.stringify(vg, (k, v) => (k === 'pv' ? v.key : v)), 9), 'info');
} finally {
  if (loop) {
    spawnSync('lvm', ['vgremove', '--devices', loop, '-ff', '-y', 'lkbench'], { env, stdio: 'ignore' });
    spawnSync('losetup', ['-d', loop], { stdio: 'ignore' });
  }
  rmSync(work, { recursive: true, force: true });
}

const w = Math.max(...rows.map((r) => r.what.length));
const bw = Math.max(...rows.map((r) => r.baseline.length));
console.log(`${'measure'.padEnd(w)}  ${'ms'.padStart(8)}   ${'baseline'.padEnd(bw)}  ${'ms'.padStart(8)}  ratio  goal`);
for (const r of rows) {
  const ratio = r.ms / r.baseMs;
  const met = r.goal === 'faster' ? (ratio < 1 ? 'met' : 'NOT met') : r.goal === 'within 2x' ? (ratio <= 2 ? 'met' : 'NOT met') : '';
  console.log(`${r.what.padEnd(w)}  ${r.ms.toFixed(1).padStart(8)}   ${r.baseline.padEnd(bw)}  ${r.baseMs.toFixed(1).padStart(8)}  ${ratio.toFixed(2).padStart(5)}  ${r.goal}${met ? ` (${met})` : ''}`);
}

// The device mapper: dump and random-read speed, peak memory (bench/dm.mjs).
await (await import('./dm.mjs')).benchDm();

// Scale of the readers: 64 PVs and 10,000 LVs, 16 TiB PVs, LVs of 10,000 segments (bench/scale.mjs).
await (await import('./scale.mjs')).benchScale();

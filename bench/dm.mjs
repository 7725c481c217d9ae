// The userspace device mapper's speed, each figure beside its baseline (called at the end of bench/run.mjs):
// - `lvmkit dump` of a 1 GiB LV striped over 4 PVs (64 KiB chunks) and of a 1 GiB linear LV, in MB/s,
//   beside `cat` of the same PV image files into a file (the same number of bytes; goal >= 0.8 of cat);
// - 4 KiB random reads through the library's mapper (striped LV) beside plain positioned reads on a file
//   (FileHandle.read at random offsets; goal >= 0.5 of its rate);
// - peak memory (max RSS) of a dump of a 64 MiB and of a 1 GiB LV: it must not grow with the LV's size.
// The VG is made by real LVM2 on loop devices (root, lvm2, losetup); without them this part is skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const MiB = 1024 * 1024;


/** Fill a file of `size` bytes with a repeated pseudo-random 4 MiB block (non-zero data, no holes). */
function fillFile(path, size, seed) {
  const block = new Uint8Array(4 * MiB);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < block.length; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; block[i] = x & 0xff; }
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (let pos = 0; pos < size; pos += block.length) writeSync(fd, block, 0, Math.min(block.length, size - pos), pos);
    // On disk before anything is timed: the kernel's writeback of fresh images must not run during the runs.
    fsyncSync(fd);
  } finally { closeSync(fd); }
}

/** Best (shortest) of `runs` timings: the machine may be shared, and the best run is the least disturbed. */
function timeSh(cmd, args, runs = 5, after = () => {}) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    t.push(performance.now() - a);
    after();
  }
  return Math.min(...t);
}

async function timeAsync(fn, runs = 5, after = () => {}) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    await fn();
    t.push(performance.now() - a);
    after();
  }
  return Math.min(...t);
}

function why() {
  if (process.getuid?.() !== 0) return 'not root';
  if (spawnSync('lvm', ['version'], { stdio: 'ignore' }).status !== 0) return 'lvm not installed';
  return undefined;
}

export async function benchDm() {
  const skip = why();
  console.log('\n# device mapper (lvmkit dump / mapper reads)');
  if (skip) { console.log(`(skipped: ${skip})`); return; }
  const work = mkdtempSync(join(tmpdir(), 'lvmkit-bench-dm-'));
  const env = { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1', LVM_SYSTEM_DIR: work };
  const loops = [];
  const vg = `lkdm${process.pid}`;
  const rows = [];
  try {
    const stripeImgs = [0, 1, 2, 3].map((i) => join(work, `s${i}.img`));
    const linImg = join(work, 'lin.img');
    stripeImgs.forEach((p, i) => fillFile(p, 258 * MiB, 11 + i));
    fillFile(linImg, 1100 * MiB, 99);
    const images = [...stripeImgs, linImg];
    for (const img of images) loops.push(execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim());
    const lvm = (cmd, ...a) => execFileSync('lvm', [cmd, '--devices', loops.join(','), ...a], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    lvm('pvcreate', '-y', ...loops);
    lvm('vgcreate', '-s', '4m', vg, ...loops);
    lvm('lvcreate', '--driverloaded', 'n', '-an', '-Zn', '-y', '-n', 'str', '-i', '4', '-I', '64k', '-L', '1g', vg, ...loops.slice(0, 4));
    lvm('lvcreate', '--driverloaded', 'n', '-an', '-Zn', '-y', '-n', 'lin', '-L', '1g', vg, loops[4]);
    lvm('lvcreate', '--driverloaded', 'n', '-an', '-Zn', '-y', '-n', 'small', '-L', '64m', vg, loops[4]);
    for (const l of loops.splice(0)) spawnSync('losetup', ['-d', l], { stdio: 'ignore' });
    const devs = images.join(',');
    const out = join(work, 'out.img');

    // Warm the page cache; every run writes a fresh output file (removed after each run), as cat does.
    const lvmkit = await import(join(root, 'dist', 'index.js'));
    execFileSync('sh', ['-c', `cat ${images.map((p) => `'${p}'`).join(' ')} > /dev/null`]);
    const clean = () => rmSync(out, { force: true });
    for (const [lv, imgs] of [['str', stripeImgs], ['lin', [linImg]]]) {
      const what = lv === 'str' ? '1 GiB LV striped x4, 64 KiB chunks' : '1 GiB linear LV';
      const catBytes = imgs.reduce((n, p) => n + statSync(p).size, 0);
      const catMs = timeSh('sh', ['-c', `cat ${imgs.map((p) => `'${p}'`).join(' ')} > '${out}'`], 5, clean);
      const catMbs = catBytes / 1e6 / (catMs / 1000);
      const bytes = 1024 * MiB;
      const libMs = await timeAsync(() => lvmkit.dumpCommand({ devices: images, name: `${vg}/${lv}`, output: out }), 5, clean);
      const cliMs = timeSh(process.execPath, [cli, 'dump', `${vg}/${lv}`, '--devices', devs, '-o', out], 5, clean);
      const catLabel = `cat of its PV images (${(catBytes / MiB).toFixed(0)} MiB) > file`;
      rows.push([`dump ${what}, MB/s (library: dumpCommand)`, bytes / 1e6 / (libMs / 1000), catLabel, catMbs, bytes / 1e6 / (libMs / 1000) / catMbs, 0.8]);
      rows.push([`dump ${what}, MB/s (\`lvmkit dump\` incl. node start-up)`, bytes / 1e6 / (cliMs / 1000), catLabel, catMbs, bytes / 1e6 / (cliMs / 1000) / catMbs, 0.8]);
    }

    // 4 KiB random reads: mapper vs positioned reads on a file.
    const opened = await lvmkit.openLv({ devices: images, name: `${vg}/str` });
    const N = 40000;
    const offs = Array.from({ length: N }, (_, i) => ((i * 2654435761) % (opened.device.size / 4096)) * 4096);
    const buf = new Uint8Array(4096);
    const fh = await open(linImg, 'r');
    const rates = [];
    for (let run = 0; run < 3; run++) {
      let a = performance.now();
      for (const o of offs) await opened.device.readInto(o, buf);
      const ours = N / ((performance.now() - a) / 1000);
      a = performance.now();
      for (const o of offs) await fh.read(buf, 0, 4096, o);
      const plain = N / ((performance.now() - a) / 1000);
      rates.push([ours, plain]);
    }
    await fh.close();
    await opened.close();
    const ours = Math.max(...rates.map((r) => r[0]));
    const plain = Math.max(...rates.map((r) => r[1]));
    rows.push(['4 KiB random reads through the mapper, striped LV (reads/s)', ours, 'FileHandle.read at random offsets of a file (reads/s)', plain, ours / plain, 0.5]);

    // Peak memory of a dump, two LV sizes.
    const rss = (lv) => {
      const code = `const m = await import(${JSON.stringify(join(root, 'dist', 'index.js'))});
        await m.dumpCommand({ devices: ${JSON.stringify(images)}, name: ${JSON.stringify(`${vg}/${lv}`)}, output: '/dev/null' });
        console.log(process.resourceUsage().maxRSS);`;
      return Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim()) / 1024;
    };
    const small = rss('small');
    const big = rss('lin');
    rows.push(['peak memory (max RSS, MiB) of a dump of a 1 GiB LV', big, 'the same for a 64 MiB LV', small, big / small, 'no growth']);
  } finally {
    for (const l of loops) spawnSync('losetup', ['-d', l], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  const bw = Math.max(...rows.map((r) => r[2].length));
  console.log(`${'measure'.padEnd(w)}  ${'value'.padStart(9)}   ${'baseline'.padEnd(bw)}  ${'value'.padStart(9)}  ratio  goal`);
  for (const [what, v, base, bv, ratio, goal] of rows) {
    const met = typeof goal === 'number' ? (ratio >= goal ? 'met' : 'NOT met') : (ratio < 1.25 ? 'met' : 'NOT met');
    const g = typeof goal === 'number' ? `>= ${goal}` : goal;
    console.log(`${what.padEnd(w)}  ${v.toFixed(1).padStart(9)}   ${base.padEnd(bw)}  ${bv.toFixed(1).padStart(9)}  ${ratio.toFixed(2).padStart(5)}  ${g} (${met})`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDm();

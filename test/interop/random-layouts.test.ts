/**
 * Random layouts made by real LVM2, read by lvmkit: a seeded generator picks PV sizes and pvcreate options
 * (metadata area size and copies, data alignment, bootloader area), the extent size, and a random sequence
 * of lvcreate (linear and striped, sizes in MiB or extents, tags), lvextend, lvreduce, lvremove, lvrename,
 * vgchange/pvchange --addtag and pvchange -x; then lvmkit's reports must equal LVM2's field by field.
 * This checks lvmkit against layouts nobody wrote a fixture for. Seeds: LVMKIT_LAYOUT_SEEDS=1,2,3
 * (default 3 fixed seeds, so a failure is reproducible; a failing seed is printed with the failure).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { compareReports, PV_FIELDS } from '../helpers/report-compare.js';

/** mulberry32: a small seeded PRNG (reproducible runs). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds = (process.env.LVMKIT_LAYOUT_SEEDS ?? '11,23,37').split(',').map(Number).filter(Number.isFinite);

describeInterop('random layouts made by real LVM2: lvmkit reports equal LVM2', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  for (const seed of seeds) {
    itInterop(`seed ${seed}`, async () => {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
      const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
      const log: string[] = [];
      const vg = lab.vgName();
      const nPv = int(1, 4);
      const devs: LabDevice[] = [];
      for (let i = 0; i < nPv; i++) {
        // Sizes in KiB, not always a whole MiB.
        devs.push(lab.disk(`s${seed}-${i}.img`, int(40 * 1024, 200 * 1024) * 1024 + pick([0, 512, 4096, 65536])));
      }
      for (const [i, d] of devs.entries()) {
        const args: string[] = [];
        if (r() < 0.4) args.push('--metadatasize', pick(['128k', '512k', '2m']));
        // Every VG needs one PV with a metadata area: the first keeps at least one.
        const copies = i === 0 ? pick(['1', '2']) : pick(['0', '1', '2']);
        if (r() < 0.5 || copies !== '1') args.push('--pvmetadatacopies', copies);
        if (r() < 0.3) args.push('--dataalignment', pick(['64k', '1m', '3m']));
        if (r() < 0.2) args.push('--bootloaderareasize', pick(['512k', '1m']));
        log.push(`pvcreate ${args.join(' ')} ${d.image}`);
        lab.pvcreate([d.dev], args);
      }
      const extent = pick(['512k', '1m', '4m', '8m']);
      log.push(`vgcreate -s ${extent}`);
      lab.vgcreate(vg, devs.map((d) => d.dev), ['-s', extent]);
      const extentMiB = Number.parseInt(extent, 10) / (extent.endsWith('k') ? 1024 : 1);
      const lvs: string[] = [];
      let n = 0;
      for (let step = 0; step < 12; step++) {
        const op = lvs.length === 0 ? 'create' : pick(['create', 'create', 'extend', 'extend', 'reduce', 'remove', 'rename', 'tag']);
        let res;
        if (op === 'create') {
          const name = `lv${n++}`;
          const stripes = int(1, nPv);
          const args = ['-n', name];
          if (r() < 0.5) args.push('-L', `${int(1, 24) * Math.max(1, Math.ceil(extentMiB))}m`);
          else args.push('-l', String(int(1, 12) * stripes));
          if (stripes > 1) args.push('-i', String(stripes), '-I', pick(['4k', '64k', '128k'].filter((s) => Number.parseInt(s, 10) <= extentMiB * 1024)));
          if (r() < 0.3) args.push('--addtag', pick(['t1', 'web', 'a_b.c+d']));
          if (r() < 0.2) args.push('--alloc', pick(['contiguous', 'cling', 'anywhere']));
          res = lab.lvcreate(vg, args, [], { allowFail: true });
          if (res.code === 0) lvs.push(name);
          log.push(`lvcreate ${args.join(' ')} -> ${res.code}`);
        } else {
          const lv = pick(lvs);
          if (op === 'extend') res = lab.lvm('lvextend', ['--driverloaded', 'n', '-l', `+${int(1, 10)}`, `${vg}/${lv}`], { allowFail: true });
          else if (op === 'reduce') res = lab.lvm('lvreduce', ['--driverloaded', 'n', '-f', '-l', `-${int(1, 3)}`, `${vg}/${lv}`], { allowFail: true });
          else if (op === 'remove') {
            res = lab.lvm('lvremove', ['--driverloaded', 'n', '-f', `${vg}/${lv}`], { allowFail: true });
            if (res.code === 0) lvs.splice(lvs.indexOf(lv), 1);
          } else if (op === 'rename') {
            const to = `${lv}r`;
            res = lab.lvm('lvrename', ['--driverloaded', 'n', vg, lv, to], { allowFail: true });
            if (res.code === 0) lvs[lvs.indexOf(lv)] = to;
          } else {
            res = r() < 0.5
              ? lab.lvm('vgchange', ['--driverloaded', 'n', '--addtag', `vt${step}`, vg], { allowFail: true })
              : lab.lvm('pvchange', [r() < 0.3 ? '-xn' : '--addtag', ...(r() < 0.3 ? [] : [`pt${step}`]), pick(devs).dev], { allowFail: true });
          }
          log.push(`${op} ${lv} -> ${res.code}`);
        }
      }
      try {
        await compareReports(lab, devs, vg);
        await compareReports(lab, devs, undefined, [{ kind: 'pvs', fields: `${PV_FIELDS},pvseg_start,pvseg_size,lv_name`, segments: true }]);
        expect(log.length).toBeGreaterThan(nPv);
        if (process.env.LVMKIT_LAYOUT_LOG) console.log(`seed ${seed}:\n  ${log.join("\n  ")}`);
      } catch (e) {
        throw new Error(`seed ${seed} (reproduce with LVMKIT_LAYOUT_SEEDS=${seed}):\n  ${log.join('\n  ')}\n${(e as Error).message}`);
      }
      lab.lvm('vgremove', ['-ff', '-y', vg]);
    });
  }
});

/**
 * Opt-in (LVMKIT_REALDM=1; slow: boots a VM with a real kernel): lvmkit's tables and dumps against the
 * real device-mapper. Images made by real LVM2 on loop devices get data through `lvmkit load`; then
 * - realdm.sh activates them with real LVM2 on a real kernel: every `dmsetup table` line must equal
 *   lvmkit's table (devices mapped to the VM's disk numbers), and every LV's sha256 lvmkit's dump;
 * - with one image left out and `--activationmode partial`, the real tables (with the missing_N_M error
 *   devices) must equal `lvmkit table -P`;
 * - the line `lvmkit table --dmsetup` prints, fed to `dmsetup create --concise`, must give devices with
 *   the same content as LVM2's own activation.
 * The oracle scripts are looked up in LVMKIT_ORACLE_DIR (default: ../shared/oracle beside the repository).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopLab, lvm2Available, runProgram, type LabDevice } from '../helpers/lvm2.js';
import { REPO_ROOT } from '../helpers/images.js';
import { pseudoRandomBytes } from '../cli/cli-harness.js';
import { tableCommand } from '../../src/commands/table.js';
import { dumpCommand } from '../../src/commands/dump.js';
import { loadCommand } from '../../src/commands/load.js';

const ORACLE = process.env.LVMKIT_ORACLE_DIR ?? join(REPO_ROOT, '..', 'shared', 'oracle');

function why(): string | undefined {
  if (process.env.LVMKIT_REALDM !== '1') return 'set LVMKIT_REALDM=1 to run it (boots a VM: about a minute)';
  if (!existsSync(join(ORACLE, 'realdm.sh'))) return `no oracle scripts in ${ORACLE} (set LVMKIT_ORACLE_DIR)`;
  const a = lvm2Available();
  return a.ok ? undefined : `lvm2/loop unavailable (${a.why})`;
}

interface OracleRun { dev: Map<string, string>; dm: Map<string, string>; tables: string[]; sums: Map<string, string>; raw: string }

function parseOracle(stdout: string): OracleRun {
  const run: OracleRun = { dev: new Map(), dm: new Map(), tables: [], sums: new Map(), raw: stdout };
  for (const line of stdout.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^DEV (\d+:\d+) (\S+)$/.exec(line))) run.dev.set(m[2], m[1]);
    else if ((m = /^DM (\d+:\d+) (\S+)$/.exec(line))) run.dm.set(m[1], m[2]);
    else if ((m = /^TABLE (.*)$/.exec(line))) run.tables.push(m[1]);
    else if ((m = /^(?:LV|SUM) (\S+) \S+ ([0-9a-f]{64}|-)$/.exec(line))) run.sums.set(m[1], m[2]);
  }
  return run;
}

const skip = why();
if (skip) console.warn(`[lvmkit realdm] skipped: ${skip}`);

describe.skipIf(!!skip)(skip ? `real device-mapper oracle [skipped: ${skip}]` : 'real device-mapper oracle', () => {
  let lab: LoopLab;
  let disks: LabDevice[];
  let images: string[];
  let vg: string;
  const sums = new Map<string, string>();

  beforeAll(async () => {
    lab = new LoopLab();
    disks = [0, 1, 2].map((i) => lab.disk(`r${i}.img`, '24M'));
    images = disks.map((d) => d.image);
    vg = lab.vgName();
    lab.pvcreate(disks.map((d) => d.dev));
    lab.vgcreate(vg, disks.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'lin', '-l', '3'], [disks[0].dev]);
    lab.lvcreate(vg, ['-n', 'onb', '-l', '2'], [disks[1].dev]);
    lab.lvcreate(vg, ['-n', 's2', '-i', '2', '-I', '64k', '-l', '4'], [disks[0].dev, disks[2].dev]);
    lab.lvcreate(vg, ['-n', 's3', '-i', '3', '-I', '4k', '-l', '6']);
    lab.lvcreate(vg, ['-n', 'mixed', '-l', '2'], [disks[1].dev]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-i', '2', '-I', '1m', '-l', '+4', `${vg}/mixed`, disks[0].dev, disks[2].dev]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-i', '1', '-l', '+1', `${vg}/mixed`, disks[0].dev]);
    let seed = 10;
    for (const r of lab.report('lvs', ['-o', 'lv_name,lv_size', vg])) {
      const file = join(lab.dir, `${r.lv_name}.in`);
      writeFileSync(file, pseudoRandomBytes(Number(r.lv_size), seed++));
      await loadCommand({ devices: images, name: `${vg}/${r.lv_name}`, input: file });
      const out = join(lab.dir, `${r.lv_name}.out`);
      await dumpCommand({ devices: images, name: `${vg}/${r.lv_name}`, output: out });
      sums.set(`${vg}/${r.lv_name}`, runProgram('sha256sum', [out]).stdout.split(' ')[0]);
    }
  }, 300_000);
  afterAll(() => lab?.cleanup());

  it('realdm.sh: the kernel\'s tables and LV checksums equal lvmkit\'s', async () => {
    const r = runProgram(join(ORACLE, 'realdm.sh'), images, { timeoutMs: 1_200_000 });
    const run = parseOracle(r.stdout);
    expect(run.tables.length, r.stdout).toBeGreaterThan(5);
    const map = images.map((img, i) => `${img}=${run.dev.get(`/dev/vd${'abc'[i]}`)}`);
    const ours = await tableCommand({ devices: images, names: [vg], map });
    expect(ours.stdout).toBe(run.tables.map((t) => `${t}\n`).join(''));
    expect(run.sums.size).toBe(sums.size);
    for (const [lv, sum] of sums) expect(run.sums.get(lv), lv).toBe(sum);
  }, 1_200_000);

  it('partial activation and `dmsetup create --concise` with lvmkit\'s line', async () => {
    const some = [images[0], images[2]];
    const map = some.map((img, i) => `${img}=/dev/vd${'ab'[i]}`);
    const concise = (await tableCommand({ devices: images, names: [vg], map: images.map((img, i) => `${img}=/dev/vd${'abc'[i]}`), dmsetup: true })).stdout.trim();
    const partial = await tableCommand({ devices: some, names: [vg], partial: true, map });
    const script = join(lab.dir, 'guest.sh');
    writeFileSync(script, [
      '#!/bin/sh',
      'for d in /sys/block/vd*; do echo "DEV $(cat $d/dev) /dev/${d##*/}"; done',
      `vgchange -ay --activationmode partial ${vg} >&2`,
      'dmsetup info -c --noheadings -o major,minor,name --separator " " | while read -r a b n; do echo "DM $a:$b $n"; done',
      'for n in $(dmsetup info -c --noheadings -o name | sort); do dmsetup table "$n" | while IFS= read -r l; do echo "TABLE $n: $l"; done; done',
      `vgchange -an ${vg} >&2`,
      '',
    ].join('\n'));
    const r = runProgram(join(ORACLE, 'vmrun.sh'), [script, ...some], { timeoutMs: 1_200_000, env: { ...process.env, ORACLE_SNAPSHOT: '1' } });
    const run = parseOracle(r.stdout);
    const real = run.tables.map((t) => t.replace(/\b(\d+:\d+)\b/g, (mm) => (run.dm.has(mm) ? `/dev/mapper/${run.dm.get(mm)}` : mm))
      .replace(new RegExp(`\\b${run.dev.get('/dev/vda')} `, 'g'), '/dev/vda ').replace(new RegExp(`\\b${run.dev.get('/dev/vdb')} `, 'g'), '/dev/vdb '));
    expect(partial.stdout).toBe(real.map((t) => `${t}\n`).join(''));
    expect(partial.stdout).toContain('-missing_');

    const script2 = join(lab.dir, 'guest2.sh');
    writeFileSync(script2, [
      '#!/bin/sh',
      `dmsetup create --concise '${concise.replace(/'/g, "'\\''")}' >&2 || echo "RC create failed"`,
      'dmsetup mknodes',
      `for n in $(dmsetup info -c --noheadings -o name | sort); do echo "SUM $n - $(sha256sum < /dev/mapper/$n | cut -d' ' -f1)"; done`,
      'dmsetup remove_all',
      '',
    ].join('\n'));
    const r2 = runProgram(join(ORACLE, 'vmrun.sh'), [script2, ...images], { timeoutMs: 1_200_000, env: { ...process.env, ORACLE_SNAPSHOT: '1' } });
    expect(r2.stdout).not.toContain('RC create failed');
    const run2 = parseOracle(r2.stdout);
    expect(run2.sums.size).toBe(sums.size);
    for (const [lv, sum] of sums) expect(run2.sums.get(`${vg}-${lv.split('/')[1]}`), lv).toBe(sum);
  }, 1_200_000);
});

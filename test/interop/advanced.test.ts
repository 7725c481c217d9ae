/**
 * Reports on every advanced LV type equal real LVM2's: raid1, mirror (disk log), raid5, thin pool with thin
 * LVs, an old-style snapshot, raid1 with integrity and a dm-cache LV with its cache pool, all with their hidden
 * sub-LVs, made by real LVM2 and the real kernel (test/fixtures/advanced). lvmkit reads the image files, the
 * host's LVM2 the loop devices over them; lv_attr chars 5-6 (XX on this host's LVM2 without device-mapper)
 * are normalised, nothing else.
 *
 * Fields compared: every field of LVM2's lv_all, seg_all, pvseg_all and vg_all, except those LVM2 reads from
 * the live kernel (KERNEL_FIELDS: device-mapper info and status, which neither this host's LVM2 nor lvmkit
 * has) and the vdo pool settings lvmkit does not report yet (VDO_SEG_FIELDS, no VDO fixture to check them).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { compareReports, lvmkitRows, normaliseAttr } from '../helpers/report-compare.js';
import { createSparseImage, REPO_ROOT } from '../helpers/images.js';
import { reportCommand } from '../../src/commands/reporting.js';
import { findField } from '../../src/commands/report/index.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'advanced');
const IMAGE_SIZE = 256 * 1024 * 1024;

/**
 * Fields LVM2 fills from the running kernel (dm info/status, dmeventd), left out: activation state and
 * tables, open count, percentages, raid sync state and mismatches, cache/writecache/vdo/integrity counters,
 * kernel-side cache and discard settings, snapshot validity, and raid data offsets (dm-raid status).
 * (seg_monitor stays: offline it only says that a raid0 is "not monitored", as LVM2 does with default settings.)
 */
const KERNEL_FIELDS = new Set([
  'lv_active', 'lv_active_locally', 'lv_active_remotely', 'lv_active_exclusively', 'lv_permissions', 'lv_suspended',
  'lv_live_table', 'lv_inactive_table', 'lv_device_open', 'lv_kernel_major', 'lv_kernel_minor', 'lv_kernel_read_ahead',
  'lv_image_synced', 'lv_check_needed', 'lv_merge_failed', 'lv_snapshot_invalid',
  'data_percent', 'snap_percent', 'metadata_percent', 'copy_percent', 'sync_percent',
  'raid_mismatch_count', 'raid_sync_action', 'integritymismatches',
  'cache_total_blocks', 'cache_used_blocks', 'cache_dirty_blocks', 'cache_read_hits', 'cache_read_misses',
  'cache_write_hits', 'cache_write_misses', 'kernel_cache_settings', 'kernel_cache_policy', 'kernel_metadata_format',
  'kernel_discards', 'vdo_operating_mode', 'vdo_compression_state', 'vdo_index_state', 'vdo_used_size', 'vdo_saving_percent',
  'writecache_total_blocks', 'writecache_free_blocks', 'writecache_writeback_blocks', 'writecache_error',
  'data_offset', 'new_data_offset',
]);

/** VDO pool settings (seg_all): lvmkit does not report them yet. */
const VDO_SEG_FIELDS = /^vdo_/;

/** Gunzip a fixture into a sparse image (only its first MiB holds data). */
function extractSparse(gz: string, out: string): string {
  const data = gunzipSync(readFileSync(gz));
  createSparseImage(out, IMAGE_SIZE);
  const fd = openSync(out, 'r+');
  try {
    const block = 1024 * 1024;
    for (let off = 0; off < data.length; off += block) {
      const chunk = data.subarray(off, Math.min(data.length, off + block));
      if (chunk.some((b) => b !== 0)) writeSync(fd, chunk, 0, chunk.length, off);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

describeInterop('reports of raid, mirror, thin, cache, integrity and snapshot LVs equal real LVM2', () => {
  let lab: LoopLab;
  let devs: LabDevice[];
  let vg: string;
  /** LVM2's own field lists (lv_all, seg_all, ...) minus the ones above. */
  let fields: Record<'lv' | 'seg' | 'pvseg' | 'vg', string[]>;

  beforeAll(() => {
    lab = new LoopLab();
    devs = ['a', 'b', 'c'].map((x) => lab.attach(extractSparse(join(FIXTURES, `adv-${x}.img.gz`), join(lab.dir, `adv-${x}.img`))));
    vg = lab.vgName();
    lab.lvm('vgrename', ['oxdemo', vg]);   // a random VG name, written by real LVM2
    const keys = (kind: 'lvs' | 'pvs' | 'vgs', all: string, extra: string[] = []): string[] =>
      Object.keys(lab.report(kind, ['-o', all, ...extra, ...(kind === 'pvs' ? [] : [vg])])[0] ?? {});
    fields = {
      lv: keys('lvs', 'lv_all').filter((f) => !KERNEL_FIELDS.has(f)),
      seg: keys('lvs', 'seg_all', ['--segments']).filter((f) => !KERNEL_FIELDS.has(f) && !VDO_SEG_FIELDS.test(f)),
      pvseg: keys('pvs', 'pvseg_all', ['--segments']),
      vg: keys('vgs', 'vg_all'),
    };
  }, 120_000);
  afterAll(() => lab?.cleanup());

  itInterop('LVM2 reports every field of the lists and lvmkit knows each one', () => {
    expect(fields.lv.length).toBeGreaterThan(50);
    expect(fields.seg.length).toBeGreaterThan(25);
    expect(fields.vg.length).toBeGreaterThan(30);
    expect(fields.pvseg).toEqual(['pvseg_start', 'pvseg_size']);
    const unknown = [...fields.lv, ...fields.seg, ...fields.pvseg, ...fields.vg].filter((f) => !findField(f, ''));
    expect(unknown).toEqual([]);
  });

  itInterop('lvs -a (lv_all), lvs -a --segments (seg_all), pvs --segments (pvseg_all + lv_name), vgs (vg_all)', async () => {
    await compareReports(lab, devs, vg, [
      { kind: 'lvs', fields: ['lv_name', ...fields.lv].join(','), all: true },
      { kind: 'lvs', fields: ['lv_name', 'lv_uuid', ...fields.seg].join(','), segments: true, all: true },
      { kind: 'pvs', fields: ['pv_name', ...fields.pvseg, 'lv_name'].join(','), segments: true },
      { kind: 'pvs', fields: 'pv_name,pvseg_start,pvseg_size,lv_name,lv_attr,lv_role,segtype,seg_pe_ranges,devices', segments: true },
      { kind: 'vgs', fields: fields.vg.join(',') },
    ]);
  });

  itInterop('LV, segment and sub-LV values that used to differ are the ones LVM2 prints', async () => {
    // Spot checks against what the host's LVM2 prints (the comparison above checks them all).
    const real = (args: string[]): Record<string, string>[] =>
      (JSON.parse(lab.toImageNames(JSON.stringify(lab.report('lvs', ['-a', ...args, vg])))) as Record<string, string>[]).map(normaliseAttr);
    const rows = real(['-o', 'lv_name,lv_attr,devices,seg_le_ranges,lv_parent,lv_role']);
    const by = (n: string): Record<string, string> => rows.find((r) => r.lv_name === n)!;
    expect(by('[cpool_cpool_cdata]').lv_attr).toBe('Cwi-------');
    expect(by('[r1_rimage_0]').lv_attr).toBe('Iwi---r---');
    expect(by('[ri_rimage_0]').lv_attr).toBe('gwi---r---');
    expect(by('[ri_rimage_0_iorig]').lv_attr).toBe('-wi-------');
    expect(by('[ri_rimage_0_imeta]').lv_attr).toBe('ewi-------');
    expect(by('cached').devices).toBe('cached_corig(0)');
    expect(by('m1').seg_le_ranges).toBe('[m1_mimage_0]:0-3,[m1_mimage_1]:0-3');
    expect(by('[cpool_cpool_cdata]').lv_parent).toBe('[cpool_cpool]');
    const ours = await lvmkitRows('lvs', devs.map((d) => d.image), { options: 'lv_name,lv_attr,devices,seg_le_ranges,lv_parent,lv_role', all: true, names: [vg] });
    expect(ours).toEqual(rows);   // same rows in the same order: LVM2 sorts lv_name without the brackets
  });

  itInterop('the default `lvs -a` table is LVM2\'s, line for line (sorted as LVM2 sorts)', async () => {
    const realText = lab.lvm('lvs', ['-a', vg]).stdout
      .split('\n').map((l) => l.replace(/^(\s+\S+\s+\S+\s+\S{4})XX/, '$1--')).join('\n');
    const ours = await reportCommand('lvs', { devices: devs.map((d) => d.image), all: true, names: [vg] });
    expect(ours.stdout).toBe(realText);
    expect(realText.split('\n').filter((l) => l.includes(vg))).toHaveLength(38);
    // Hidden LVs sort by their name without the brackets, among the others.
    expect(ours.stdout.split('\n').slice(1, 5).map((l) => l.trim().split(/\s+/)[0])).toEqual(['base', 'cached', '[cached_corig]', '[cpool_cpool]']);
  });

  itInterop('with --segments, sorted by size, by sub-LV names, or all keys equal (LVM2\'s walk order), the tables are LVM2\'s', async () => {
    const images = devs.map((d) => d.image);
    for (const [args, opts] of [
      [['--segments'], { segments: true }],
      [['-O', 'lv_size,lv_name', '-o', 'lv_name,lv_size,segtype,stripes,data_stripes,lv_parent,origin,pool_lv'], { sort: 'lv_size,lv_name', options: 'lv_name,lv_size,segtype,stripes,data_stripes,lv_parent,origin,pool_lv' }],
      [['-O', 'lv_parent,origin,pool_lv', '-o', 'lv_name,lv_parent,origin,pool_lv,mirror_log,data_lv,metadata_lv'], { sort: 'lv_parent,origin,pool_lv', options: 'lv_name,lv_parent,origin,pool_lv,mirror_log,data_lv,metadata_lv' }],
      [['-O', 'vg_name', '-o', 'lv_name,lv_layout,lv_role'], { sort: 'vg_name', options: 'lv_name,lv_layout,lv_role' }],
    ] as const) {
      const realText = lab.lvm('lvs', ['-a', ...args, vg]).stdout
        .split('\n').map((l) => l.replace(/^(\s+\S+\s+\S+\s+\S{4})XX/, '$1--')).join('\n');
      const ours = await reportCommand('lvs', { devices: images, all: true, names: [vg], ...opts });
      expect(ours.stdout, args.join(' ')).toBe(realText);
    }
  });

  itInterop('with the PV of the cache pool, the thin metadata and the mirror log missing, partial LVs are LVM2\'s', async () => {
    const two = devs.slice(0, 2);
    await compareReports(lab, two, vg, [
      { kind: 'lvs', fields: ['lv_name', ...fields.lv].join(','), all: true },
      { kind: 'lvs', fields: ['lv_name', 'lv_uuid', ...fields.seg].join(','), segments: true, all: true },
      { kind: 'vgs', fields: fields.vg.join(',') },
    ]);
    const partial = lab.report('lvs', ['-a', '-o', 'lv_name,lv_health_status', vg], { devices: two.map((d) => d.dev) })
      .filter((r) => r.lv_health_status === 'partial').map((r) => r.lv_name);
    expect(partial).toEqual(expect.arrayContaining(['thin1', 'cached', 'm1', 'r5', '[r5_rimage_2]']));
    expect(partial).not.toContain('r1');
  });
});

// ---------------------------------------------------------------------------------------------
// More LV types, on loop devices: raid0 and an unused cache pool made by lvcreate, the others written as
// metadata and restored with vgcfgrestore (this host's LVM2 cannot create them without device-mapper);
// LVM2 accepts and reports them, and its reports are the reference.

/** A metadata stanza of one LV (segments already written). */
function lvText(name: string, id: number, status: string[], flags: string[], segments: string[]): string {
  const uuid = `Lkadv${String(id).padStart(27, '0')}`;
  const dashed = [uuid.slice(0, 6), uuid.slice(6, 10), uuid.slice(10, 14), uuid.slice(14, 18), uuid.slice(18, 22), uuid.slice(22, 26), uuid.slice(26)].join('-');
  const q = (xs: string[]): string => `[${xs.map((x) => `"${x}"`).join(', ')}]`;
  const segs = segments.map((s, i) => `\t\t\tsegment${i + 1} {\n${s.split('\n').map((l) => `\t\t\t\t${l}`).join('\n')}\n\t\t\t}\n`).join('');
  return `\t\t${name} {\n\t\t\tid = "${dashed}"\n\t\t\tstatus = ${q(status)}\n\t\t\tflags = ${q(flags)}\n` +
    `\t\t\tcreation_time = 1795309600\n\t\t\tcreation_host = "lvmkit-test"\n\t\t\tsegment_count = ${segments.length}\n\n${segs}\t\t}\n\n`;
}

/** Visible and hidden LVs of many types, allocated from extent 60 on (lvcreate used the first ones). */
function moreLvs(): { visible: string; hidden: string } {
  const V = ['READ', 'WRITE', 'VISIBLE'];
  const H = ['READ', 'WRITE'];
  let id = 0;
  const next = [60, 60, 60, 60];
  const visible: string[] = [];
  const hidden: string[] = [];
  const linear = (name: string, count: number, pv: number, status = H, flags: string[] = []): string => {
    const pe = next[pv]!;
    next[pv] = pe + count;
    return lvText(name, ++id, status, flags, [`start_extent = 0\nextent_count = ${count}\ntype = "striped"\nstripe_count = 1\nstripes = [\n\t"pv${pv}", ${pe}\n]`]);
  };
  const raid = (name: string, type: string, images: number, perImage: number, size: number, extra = '', stripe = '\nstripe_size = 128'): void => {
    const pairs: string[] = [];
    for (let i = 0; i < images; i++) {
      hidden.push(linear(`${name}_rmeta_${i}`, 1, i % 4), linear(`${name}_rimage_${i}`, perImage, i % 4, name === 'rwm' && i === 1 ? [...H, 'WRITEMOSTLY'] : H));
      pairs.push(`"${name}_rmeta_${i}", "${name}_rimage_${i}"`);
    }
    visible.push(lvText(name, ++id, V, [], [`start_extent = 0\nextent_count = ${size}\ntype = "${type}"\ndevice_count = ${images}${stripe}\nregion_size = 1024${extra}\nraids = [\n\t${pairs.join(',\n\t')}\n]`]));
  };
  raid('r6', 'raid6', 5, 2, 6);
  raid('r6n', 'raid6_nc', 5, 2, 6);
  raid('r10', 'raid10', 4, 2, 4);
  raid('r4', 'raid4', 3, 2, 4);
  raid('r5r', 'raid5_rs', 3, 2, 4, '\nmin_recovery_rate = 100\nmax_recovery_rate = 2000');
  raid('rwm', 'raid1', 2, 4, 4, '\nwritebehind = 256', '');
  hidden.push(linear('mc_mimage_0', 4, 1), linear('mc_mimage_1', 4, 2));
  visible.push(lvText('mc', ++id, V, [], ['start_extent = 0\nextent_count = 4\ntype = "mirror"\nmirror_count = 2\nregion_size = 1024\nmirrors = [\n\t"mc_mimage_0", 0,\n\t"mc_mimage_1", 0\n]']));
  visible.push(linear('extorig', 4, 3, ['READ', 'VISIBLE']));
  visible.push(lvText('tp', ++id, V, ['ERROR_WHEN_FULL'], ['start_extent = 0\nextent_count = 8\ntype = "thin-pool"\nmetadata = "tp_tmeta"\npool = "tp_tdata"\ntransaction_id = 4\nchunk_size = 128\ndiscards = "nopassdown"\nzero_new_blocks = 0']));
  const thin = (name: string, size: number, dev: number, more: string, flags: string[] = []): string =>
    lvText(name, ++id, V, flags, [`start_extent = 0\nextent_count = ${size}\ntype = "thin"\nthin_pool = "tp"\ntransaction_id = ${dev - 1}\ndevice_id = ${dev}${more}`]);
  visible.push(thin('tha', 16, 1, ''), thin('thsnap', 16, 2, '\norigin = "tha"', ['ACTIVATION_SKIP']), thin('thsnap2', 16, 3, '\norigin = "thsnap"'),
    thin('thext', 4, 4, '\nexternal_origin = "extorig"'));
  hidden.push(linear('tp_tmeta', 1, 3), linear('tp_tdata', 8, 3));
  visible.push(lvText('wcx', ++id, V, [], ['start_extent = 0\nextent_count = 8\ntype = "writecache"\nwritecache_block_size = 4096\norigin = "wcx_wcorig"\nwritecache = "wcv_cvol"']));
  hidden.push(linear('wcx_wcorig', 8, 2), linear('wcv_cvol', 8, 1, H, ['CACHE_VOL']));
  visible.push(lvText('cvx', ++id, V, [], ['start_extent = 0\nextent_count = 8\ntype = "cache+CACHE_USES_CACHEVOL+METADATA_FORMAT"\ncache_pool = "cvv_cvol"\norigin = "cvx_corig"\nmetadata_format = 2\nchunk_size = 128\ncache_mode = "writethrough"\npolicy = "smq"\nmetadata_start = 0\nmetadata_len = 4096\ndata_start = 4096\ndata_len = 12288']));
  hidden.push(linear('cvx_corig', 8, 3), linear('cvv_cvol', 8, 3, H, ['CACHE_VOL']));
  return { visible: visible.join(''), hidden: hidden.join('') };
}

describeInterop('reports of raid0/4/5/6/10, write-mostly images, core-log mirrors, thin snapshots, external origins and cachevols equal real LVM2', () => {
  let lab: LoopLab;
  let devs: LabDevice[];
  let vg: string;

  beforeAll(() => {
    lab = new LoopLab();
    devs = [1, 2, 3, 4].map((i) => lab.disk(`more${i}.img`, '128M'));
    vg = lab.vgName();
    lab.pvcreate(devs.map((d) => d.dev));
    lab.vgcreate(vg, devs.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['--type', 'raid0', '-i', '2', '-L', '4M', '-n', 'r0']);
    lab.lvm('lvcreate', ['--driverloaded', 'n', '-an', '-y', '--type', 'cache-pool', '-L', '8M', '-n', 'cp2', vg]);
    const text = lab.vgcfgbackup(vg);
    const { visible, hidden } = moreLvs();
    const lvsAt = text.indexOf('\tlogical_volumes {\n\n') + '\tlogical_volumes {\n\n'.length;
    const lvsEnd = text.lastIndexOf('\n\t}\n');
    const file = join(lab.dir, 'more.vg');
    writeFileSync(file, text.slice(0, lvsAt) + visible + text.slice(lvsAt, lvsEnd + 1) + hidden + text.slice(lvsEnd + 1));
    lab.lvm('vgcfgrestore', ['--force', '-f', file, vg]);
    expect(lab.report('lvs', ['-a', '-o', 'lv_name', vg]).length).toBe(74);
  }, 120_000);
  afterAll(() => lab?.cleanup());

  itInterop('lvs -a (lv_all), lvs -a --segments (seg_all), pvs --segments and vgs (vg_all) equal LVM2', async () => {
    const keys = (kind: 'lvs' | 'vgs', all: string, extra: string[] = []): string[] =>
      Object.keys(lab.report(kind, ['-o', all, ...extra, vg])[0] ?? {});
    const lv = keys('lvs', 'lv_all').filter((f) => !KERNEL_FIELDS.has(f));
    const seg = keys('lvs', 'seg_all', ['--segments']).filter((f) => !KERNEL_FIELDS.has(f) && !VDO_SEG_FIELDS.test(f));
    await compareReports(lab, devs, vg, [
      { kind: 'lvs', fields: ['lv_name', ...lv].join(','), all: true },
      { kind: 'lvs', fields: ['lv_name', 'lv_uuid', ...seg].join(','), segments: true, all: true },
      { kind: 'pvs', fields: 'pv_name,pvseg_start,pvseg_size,lv_name,lv_attr,lv_role,segtype,seg_pe_ranges,devices', segments: true },
      { kind: 'vgs', fields: keys('vgs', 'vg_all').join(',') },
    ]);
  });

  itInterop('the `lvs -a` tables (default, --segments, and in LVM2\'s walk order) are LVM2\'s', async () => {
    for (const [args, opts] of [
      [[], {}],
      [['--segments'], { segments: true }],
      [['-O', 'vg_name', '-o', 'lv_name,lv_attr,lv_layout,lv_role'], { sort: 'vg_name', options: 'lv_name,lv_attr,lv_layout,lv_role' }],
    ] as const) {
      const realText = lab.lvm('lvs', ['-a', ...args, vg]).stdout
        .split('\n').map((l) => l.replace(/^(\s+\S+\s+(?:\S+\s+)?\S{4})XX/, '$1--')).join('\n');
      const ours = await reportCommand('lvs', { devices: devs.map((d) => d.image), all: true, names: [vg], ...opts });
      expect(ours.stdout, args.join(' ')).toBe(realText);
    }
  });
});

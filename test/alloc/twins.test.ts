/**
 * Allocator fidelity: the same sequence of LV commands run by real LVM2 (on loop devices) and by lvmkit
 * (on copies of the same images) must place every extent in the same place: `lvs --segments` compared
 * field by field after every step. Then real LVM2 checks (vgck, pvck) the images lvmkit wrote.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';
import { copyImages, makeTwins, realChecks, twinSegments, twinStep, type Twins } from '../lv/twins.js';

type Step = [verb: string, ...args: string[]];

async function runScenario(lab: LoopLab, t: Twins, steps: Step[]): Promise<void> {
  for (const [verb, ...args] of steps) {
    twinStep(lab, t, verb, args);
    const { real, ours } = await twinSegments(lab, t);
    expect(ours, `after ${verb} ${args.join(' ')}`).toEqual(real);
  }
  realChecks(lab, t.vg, copyImages(t));
}

describeInterop('allocator: lvmkit places extents where LVM2 2.03 does', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('linear: empty PVs, extending on the same PV, cling to it, then the next PV; largest area first', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '60M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'l1', '-L', '5M', '%vg'],
      ['lvextend', '-l', '+3', '%vg/l1'],
      ['lvcreate', '-n', 'l2', '-l', '2', '%vg'],
      ['lvextend', '-l', '+40', '%vg/l1'],
      ['lvcreate', '-n', 'big', '-l', '50', '%vg'],
      ['lvcreate', '-n', 'big2', '-l', '30', '%vg'],
      ['lvreduce', '-l', '-3', '%vg/l1'],
      ['lvextend', '-l', '+5', '%vg/l1'],
      ['lvcreate', '-n', 'rest', '-l', '100%FREE', '%vg'],
    ]);
  }, 120_000);

  itInterop('striped: which PVs, stripe rounding, extending stripes, -l +100%FREE on stripes', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '60M', d: '48M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 's1', '-i', '2', '-l', '10', '%vg'],
      ['lvcreate', '-n', 's2', '-i', '3', '-l', '5', '%vg'],
      ['lvcreate', '-n', 'big', '-l', '50', '%vg'],
      ['lvcreate', '-n', 's3', '-i', '3', '-I', '128k', '-l', '30', '%vg'],
      ['lvextend', '-l', '+6', '%vg/s1'],
      ['lvextend', '-i', '1', '-l', '+2', '%vg/s1'],
      ['lvextend', '-i', '3', '-l', '+3', '%vg/s1'],
      ['lvcreate', '-n', 's4', '-i', '4', '-l', '8', '%vg'],
      ['lvextend', '-l', '+100%FREE', '%vg/s2'],
    ]);
  }, 120_000);

  itInterop('PV lists with ranges and their order, contiguous, cling, anywhere, %VG/%FREE/%PVS', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '40M', d: '40M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'o1', '-l', '3', '%vg', '@c', '@b'],
      ['lvcreate', '-n', 'o2', '-i', '2', '-l', '4', '%vg', '@d', '@b', '@c'],
      ['lvcreate', '-n', 'o3', '-l', '5', '%vg', '@a:0-1', '@a:5-9'],
      ['lvcreate', '-n', 'o4', '-l', '15', '%vg', '@c:15-25', '@b:5-9', '@a'],
      ['lvcreate', '-n', 'o5', '-l', '4', '-i', '2', '--alloc', 'anywhere', '%vg', '@a'],
      ['lvcreate', '-n', 'ct', '-l', '3', '--alloc', 'contiguous', '%vg'],
      ['lvextend', '-l', '+2', '%vg/o1'],
      ['lvextend', '-l', '+2', '--alloc', 'contiguous', '%vg/o3'],
      ['lvextend', '-l', '+2', '--alloc', 'cling', '%vg/o3'],
      ['lvcreate', '-n', 'p1', '-l', '10%VG', '%vg'],
      ['lvcreate', '-n', 'p2', '-l', '10%FREE', '%vg'],
      ['lvcreate', '-n', 'p3', '-l', '10%PVS', '%vg', '@b'],
      ['lvcreate', '-n', 'p4', '-l', '100%FREE', '%vg', '@a'],
      ['lvcreate', '-n', 'p5', '-l', '100', '%vg', '@c:0-30'],
      ['lvextend', '-l', '+2', '%vg/p3', '@d:20-'],
    ]);
  }, 120_000);

  itInterop('fragmented free space: smallest area that fits, then the areas of the PVs already used', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '40M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'f1', '-l', '30', '%vg', '@a'],
      ['lvcreate', '-n', 'f2', '-l', '5', '%vg', '@b'],
      ['lvcreate', '-n', 'h1', '-l', '2', '%vg', '@b'],
      ['lvcreate', '-n', 'f3', '-l', '3', '%vg', '@b'],
      ['lvcreate', '-n', 'h2', '-l', '2', '%vg', '@b'],
      ['lvcreate', '-n', 'f4', '-l', '2', '%vg', '@b'],
      ['lvcreate', '-n', 'h3', '-l', '25', '%vg', '@b'],
      ['lvcreate', '-n', 'f5', '-l', '39', '%vg', '@c'],
      ['lvremove', '%vg/f2', '%vg/f3', '%vg/f4'],
      ['lvcreate', '-n', 'x1', '-l', '3', '%vg'],
      ['lvcreate', '-n', 'x2', '-l', '14', '%vg'],
      ['lvremove', '%vg/f5'],
      ['lvcreate', '-n', 'x3', '-l', '12', '-i', '2', '%vg'],
    ]);
  }, 120_000);

  itInterop('resize forms and LVM2\'s words: %FREE/%VG with and without +, -L rounding, stripe rounding, lvremove VG', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '40M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'l1', '-l', '5', '%vg'],
      ['lvextend', '-l', '10%FREE', '%vg/l1'],
      ['lvextend', '-l', '+10%FREE', '%vg/l1'],
      ['lvresize', '-l', '50%FREE', '%vg/l1'],
      ['lvresize', '-l', '10%VG', '%vg/l1'],
      ['lvextend', '-L', '+1.5M', '%vg/l1'],
      ['lvreduce', '-L', '2.5M', '%vg/l1'],
      ['lvextend', '-L', '1.5M', '%vg/l1'],
      ['lvcreate', '-n', 's', '-i', '3', '-l', '9', '%vg'],
      ['lvreduce', '-l', '-1', '%vg/s'],
      ['lvextend', '-l', '+1', '%vg/s'],
      ['lvextend', '-l', '13', '%vg/s'],
      ['lvresize', '-l', '20', '%vg/s'],
      ['lvreduce', '-l', '-10%VG', '%vg/s'],
      ['lvreduce', '-l', '10%FREE', '%vg/s'],
      ['lvextend', '-l', '+1', '-i', '1', '%vg/s'],
      ['lvreduce', '-l', '-1', '%vg/s'],
      ['lvresize', '-l', '+10%FREE', '%vg/s'],
      ['lvcreate', '-i', '2', '-L', '2.5M', '%vg'],
      ['lvcreate', '-n', '%vg/named', '-l', '2', '-i', '2', '-I', '2M'],
      ['lvcreate', '-L', '1M', '-i', '1', '-I', '64k', '%vg'],
      ['lvextend', '-l', '+100%FREE', '%vg/named'],
      ['lvremove', '%vg'],
    ]);
  }, 120_000);

  itInterop('policies stored on the LV (lvcreate/lvchange --alloc) and on the VG (vgchange --alloc) are inherited', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'c1', '-l', '4', '--alloc', 'contiguous', '%vg'],
      ['lvcreate', '-n', 'x', '-l', '2', '%vg'],
      ['lvextend', '-l', '+2', '%vg/c1'],
      ['lvchange', '--alloc', 'cling', '%vg/c1'],
      ['lvextend', '-l', '+2', '%vg/c1'],
      ['lvextend', '-l', '+40', '%vg/c1'],
      ['lvchange', '--alloc', 'inherit', '%vg/c1'],
      ['vgchange', '--alloc', 'contiguous', '%vg'],
      ['lvcreate', '-n', 'y', '-l', '30', '%vg'],
      ['lvcreate', '-n', 'z', '-l', '20', '%vg'],
      ['lvextend', '-l', '+1', '%vg/x'],
      ['lvextend', '-l', '+1', '--alloc', 'normal', '%vg/x'],
    ]);
  }, 120_000);

  itInterop('percentages that cannot be met in full take what fits (LVM2\'s approximate allocation)', async () => {
    const t = makeTwins(lab, { a: '40M', b: '64M', c: '24M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'a1', '-l', '10', '%vg', '@a'],
      ['lvcreate', '-n', 's2', '-i', '2', '-l', '50%FREE', '%vg'],
      ['lvcreate', '-n', 's3', '-i', '3', '-l', '100%FREE', '%vg'],
      ['lvcreate', '-n', 'p', '-l', '100%PVS', '%vg', '@b'],
      ['lvcreate', '-n', 'rest', '-l', '100%VG', '%vg'],
    ]);
  }, 120_000);

  itInterop('extending stripes when one stripe\'s PV is full, with PV lists that leave out the last PV', async () => {
    const t = makeTwins(lab, { a: '24M', b: '40M', c: '40M', d: '40M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 's', '-i', '2', '-l', '10', '%vg', '@a', '@b'],
      ['lvcreate', '-n', 'fill', '-l', '100%PVS', '%vg', '@a'],
      ['lvextend', '-l', '+6', '%vg/s'],
      ['lvextend', '-l', '+4', '%vg/s', '@d', '@c'],
      ['lvcreate', '-n', 'l', '-l', '5', '%vg', '@c'],
      ['lvextend', '-l', '+3', '%vg/l', '@d'],
      ['lvextend', '-l', '+3', '%vg/l'],
      ['lvextend', '-l', '+2', '%vg/s', '@b:30-', '@c:35-36', '@d'],
      ['lvcreate', '-n', 'any', '-i', '3', '-l', '6', '--alloc', 'anywhere', '%vg', '@d', '@c'],
    ]);
  }, 120_000);

  itInterop('cling follows the PVs of the LV\'s first segment (not of its last one)', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '40M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'l', '-l', '5', '%vg', '@a'],
      ['lvcreate', '-n', 'f', '-l', '34', '%vg', '@a'],
      ['lvextend', '-l', '+5', '%vg/l'],
      ['lvcreate', '-n', 'blk', '-l', '1', '%vg', '@b'],
      ['lvremove', '%vg/f'],
      ['lvextend', '-l', '+3', '%vg/l'],
      ['lvextend', '-l', '+2', '%vg/l'],
      ['lvcreate', '-n', 's', '-i', '2', '-l', '4', '%vg', '@b', '@c'],
      ['lvcreate', '-n', 'g', '-l', '100%PVS', '%vg', '@b'],
      ['lvextend', '-l', '+4', '%vg/s'],
    ]);
  }, 120_000);

  itInterop('anywhere: several stripes from one free area, and from fewer PVs than stripes', async () => {
    const t = makeTwins(lab, { a: '40M', b: '40M', c: '24M' });
    await runScenario(lab, t, [
      ['lvcreate', '-n', 'w1', '-i', '2', '-l', '6', '--alloc', 'anywhere', '%vg', '@a'],
      ['lvcreate', '-n', 'w2', '-i', '3', '-l', '9', '--alloc', 'anywhere', '%vg', '@b', '@c'],
      ['lvextend', '-l', '+4', '%vg/w1'],
      ['lvextend', '-l', '+6', '%vg/w2', '@c'],
      ['lvcreate', '-n', 'n', '-l', '100%FREE', '%vg', '@c'],
      ['lvextend', '-l', '+3', '%vg/w2'],
    ]);
  }, 120_000);
});

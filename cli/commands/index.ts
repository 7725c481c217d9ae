/**
 * Every verb of the CLI, in the order `lvmkit --help` lists them. One module per verb (or verb group)
 * under cli/commands/; add a new verb here.
 */
import type { Verb } from '../shared.js';
import { pvsVerb, vgsVerb, lvsVerb } from './report.js';
import { inspectVerb } from './inspect.js';
import { metadataVerb } from './metadata.js';
import { demoVerb } from './demo.js';
import { tableVerb } from './table.js';
import { dumpVerb } from './dump.js';
import { loadVerb } from './load.js';
import { pvcreateVerb, pvremoveVerb, pvresizeVerb, pvchangeVerb } from './pv.js';
import { vgcreateVerb, vgextendVerb, vgreduceVerb, vgremoveVerb, vgrenameVerb, vgchangeVerb, vgcfgbackupVerb, vgcfgrestoreVerb } from './vg.js';
import { lvVerbs } from './lv.js';

export const verbs: Verb[] = [
  pvsVerb, vgsVerb, lvsVerb,
  inspectVerb, metadataVerb,
  tableVerb, dumpVerb, loadVerb,
  pvcreateVerb, pvremoveVerb, pvresizeVerb, pvchangeVerb,
  vgcreateVerb, vgextendVerb, vgreduceVerb, vgremoveVerb, vgrenameVerb, vgchangeVerb, vgcfgbackupVerb, vgcfgrestoreVerb,
  ...lvVerbs,
  demoVerb,
];

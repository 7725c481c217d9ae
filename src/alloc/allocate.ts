/**
 * The extent allocator: where the new extents of an LV (a new LV, or an extension) go, following what
 * LVM2 2.03's lv_manip.c does in the common cases (linear and striped, policies contiguous / cling /
 * normal / anywhere, a PV list):
 *
 * - Policies are tried in turn, from contiguous up to the one asked for. With a previous segment (an
 *   extension with the same stripe count), the contiguous pass continues each stripe right after it on the
 *   same PV, the cling pass takes space elsewhere on the PVs of the LV's first segment (LVM2 2.03 looks at
 *   that one only; largest free area first, stripe by stripe, then any of those PVs); without one,
 *   the contiguous pass takes the best area of each PV in one go.
 * - The normal pass first prefers PVs the allocation already uses (maximise_cling), then any PV: each PV
 *   offers one area - the smallest that holds all that is still needed, else its largest - and the areas
 *   are taken largest first (ties in PV order). Parallel stripes come from distinct PVs. Anywhere may use
 *   several areas of one PV.
 * - Each round takes as much as the smallest chosen area gives, so one request may become several
 *   segments; the caller merges adjacent ones as LVM2 does.
 *
 * Nothing here changes the VG: the result lists the pieces; the maps passed in are consumed.
 *
 * Cost: each PV's areas are kept sorted in an AreaList between rounds, and a round that is not positional
 * finds its PV's area by binary search (pickFromPv), so a round costs O(PVs x stripes + log areas) and
 * taking n one-extent areas is O(n log n) - LVM2 walks every area per round. Still linear per round: the
 * anywhere policy after a previous segment, and the contiguous pass (once per allocation).
 */
import { LvmkitError } from '../errors.js';
import type { AllocPolicy, PhysicalVolume, Segment } from '../model/types.js';
import { AreaList } from './area-list.js';
import { compareAreas, mapsFreeExtents, segmentAreaLength, sortAreas, type FreeArea, type PvMap } from './free-map.js';

/** The policies the allocator knows, in LVM2's order. */
export type Policy = 'contiguous' | 'cling' | 'normal' | 'anywhere';
const ORDER: Policy[] = ['contiguous', 'cling', 'normal', 'anywhere'];

export interface AllocRequest {
  /** For messages: the LV being created or extended. */
  lvName: string;
  /** Logical extents to add (all stripes together); a multiple of `stripes`. */
  extents: number;
  stripes: number;
  policy: Policy;
  /** The LV's last segment, when extending: new extents continue it where they can (contiguous). */
  prevSegment?: Segment;
  /**
   * The LV's first segment, when extending (default: `prevSegment`). LVM2 2.03 (maximise_cling) clings to the
   * PVs of the LV's segment at extent 0: its cling check looks at one segment only, the first.
   */
  firstSegment?: Segment;
  /** Free space to take from (see buildPvMaps); consumed. */
  maps: PvMap[];
  /** Allocate what can be allocated when not all is there (LVM2's approx_alloc, for % sizes). */
  approx?: boolean;
}

/** One parallel piece: `extents` PEs per stripe, starting at each area's PE. */
export interface AllocatedPiece {
  /** PEs per stripe. */
  extents: number;
  areas: Array<{ pv: PhysicalVolume; pe: number }>;
}

export interface AllocResult {
  pieces: AllocatedPiece[];
  /** Logical extents allocated (all stripes); less than asked only with `approx`. */
  extents: number;
}

/** The policy to use: an LV's own, else the VG's (LVM2's "inherit"); cling_by_tags is treated as cling. */
export function resolvePolicy(...policies: Array<AllocPolicy | string | undefined>): Policy {
  for (const p of policies) {
    if (p === undefined || p === 'inherit') continue;
    if (p === 'cling_by_tags') return 'cling';
    if ((ORDER as string[]).includes(p)) return p as Policy;
  }
  return 'normal';
}

interface Flags {
  contiguousToSeg: boolean;
  clingToSeg: boolean;
  clingToAlloced: boolean;
  positional: boolean;
  areaCountMatches: boolean;
  canSplit: boolean;
}

interface Pick { area: FreeArea; used: number }

export function allocateExtents(req: AllocRequest): AllocResult {
  const { stripes, maps } = req;
  if (stripes < 1 || req.extents % stripes !== 0) throw new Error(`allocateExtents: ${req.extents} extents is not a multiple of ${stripes} stripes`);
  const free = mapsFreeExtents(maps);
  if (!req.approx && req.extents > free) {
    throw new LvmkitError('ENOSPACE', `Insufficient free space: ${req.extents} extents needed, but only ${free} available`);
  }
  // Each PV's list of areas, kept sorted largest first (empty areas dropped) from round to round, and
  // written back to the maps at the end.
  const lists = new Map<PvMap, AreaList>();
  const listOfPv = new Map<PhysicalVolume, AreaList>();
  for (const m of maps) {
    let areas = m.areas;
    if (areas.some((a, i) => a.count <= 0 || (i > 0 && compareAreas(areas[i - 1], a) > 0))) {
      areas = areas.filter((a) => a.count > 0);
      sortAreas(areas);
    }
    const list = new AreaList(areas);
    lists.set(m, list);
    listOfPv.set(m.pv, list);
  }
  try {
    return allocate(req, maps, lists, listOfPv);
  } finally {
    for (const [m, list] of lists) m.areas = list.toArray();
  }
}

function allocate(req: AllocRequest, maps: PvMap[], lists: Map<PvMap, AreaList>, listOfPv: Map<PhysicalVolume, AreaList>): AllocResult {
  const { stripes } = req;
  const needed = req.extents / stripes;
  const prev = req.prevSegment && req.prevSegment.areas.length === stripes && req.prevSegment.areas.every((a) => a.kind === 'pv')
    ? req.prevSegment : undefined;
  const first = prev ? (req.firstSegment ?? prev) : undefined;
  const canSplit = req.policy !== 'contiguous';
  const alloced: PhysicalVolume[][] = Array.from({ length: stripes }, () => []);
  const pieces: AllocatedPiece[] = [];
  let allocated = 0;

  const round = (policy: Policy, flags: Flags): number => {
    const required = needed - allocated;
    const preferred: Array<Pick | undefined> = new Array(stripes).fill(undefined);
    const candidates: Pick[] = [];
    const prevLen = prev ? segmentAreaLength(prev) : 0;
    const contiguousSlot = (a: FreeArea): number => {
      if (!prev) return -1;
      return prev.areas.findIndex((p, s) => p.kind === 'pv' && p.pv === a.pv && p.pe + prevLen === a.start && !preferred[s]);
    };
    // Positional: the first area of the first segment on this PV whose slot is still open (and exists).
    const clingSlot = (a: FreeArea): number => {
      if (!first) return -1;
      return first.areas.findIndex((p, s) => p.kind === 'pv' && p.pv === a.pv && (!flags.positional || (s < stripes && !preferred[s])));
    };
    const allocedSlot = (a: FreeArea): number => alloced.findIndex((pvs, s) => (!flags.positional || !preferred[s]) && pvs.includes(a.pv));
    const checking = flags.contiguousToSeg || flags.clingToSeg || flags.clingToAlloced;

    if (policy === 'anywhere' && !checking) {
      // Anywhere: every free area is a candidate, PV by PV, until there are enough of them; an area with
      // room left may serve a second stripe in a further sweep (LVM2 splits it).
      const reserved = new Map<FreeArea, number>();
      let before: number;
      do {
        before = candidates.length;
        for (const m of maps) {
          for (const area of lists.get(m)!) {
            const unreserved = area.count - (reserved.get(area) ?? 0);
            if (unreserved <= 0) continue;
            if (unreserved < required && !flags.canSplit) break;
            const used = Math.min(unreserved, required);
            reserved.set(area, (reserved.get(area) ?? 0) + used);
            candidates.push({ area, used });
          }
          if (candidates.length >= stripes) break;
        }
      } while (candidates.length !== before && candidates.length < stripes);
    }

    for (const m of policy === 'anywhere' && !checking ? [] : maps) {
      let foundOne = false;
      let mine: Pick | undefined;
      const list = lists.get(m)!;
      if (policy !== 'anywhere' && !flags.positional) {
        if (!list.length) continue;
        // The same choice as the area loop below, without walking every area of the PV (see pickFromPv).
        const pick = pickFromPv(list, required, flags.canSplit, !checking ? undefined
          : ((flags.clingToSeg || flags.areaCountMatches) && clingSlot(list.at(0)) >= 0)
            || (flags.clingToAlloced && allocedSlot(list.at(0)) >= 0), (a) => contiguousSlot(a) >= 0);
        if (pick) candidates.push(pick);
        continue;
      }
      // Only a PV of the previous segment can hold an area contiguous to it: with contiguousToSeg every area
      // of any other PV would be passed over (a VG of 10,000 LVs has thousands of them).
      if (flags.contiguousToSeg && !prev?.areas.some((p) => p.kind === 'pv' && p.pv === m.pv)) continue;
      for (const area of list) {
        if (area.count === 0) continue;
        if (checking) {
          let slot = -1;
          if (flags.contiguousToSeg || flags.areaCountMatches) slot = contiguousSlot(area);
          if (slot < 0 && flags.contiguousToSeg) continue; // next area of this PV
          if (slot < 0 && (flags.clingToSeg || flags.areaCountMatches)) slot = clingSlot(area);
          if (slot < 0 && flags.clingToAlloced) slot = allocedSlot(area);
          if (slot < 0) break; // next PV
          const pick = { area, used: Math.min(area.count, required) };
          if (flags.positional) { preferred[slot] = pick; break; }
          // Not positional (normal pass preferring used PVs): the last matching area of the PV stays.
          if (!foundOne || policy === 'anywhere') { mine = pick; candidates.push(pick); foundOne = true; } else { Object.assign(mine!, pick); }
          continue;
        }
        if (area.count < required && (!flags.canSplit || (foundOne && policy !== 'anywhere'))) break;
        const pick = { area, used: Math.min(area.count, required) };
        if (!foundOne || policy === 'anywhere') { mine = pick; candidates.push(pick); foundOne = true; } else { Object.assign(mine!, pick); }
      }
    }

    let chosen: Pick[];
    if (flags.positional) {
      if (preferred.some((p) => !p)) return 0;
      chosen = preferred as Pick[];
    } else {
      if (candidates.length < stripes) return 0;
      // Largest first; Array.prototype.sort is stable, so ties keep PV order (as glibc's merge sort does).
      candidates.sort((a, b) => b.used - a.used);
      chosen = candidates.slice(0, stripes);
    }
    const amount = Math.min(...chosen.map((c) => c.used));
    if (!flags.canSplit && amount < required) return 0;
    if (amount <= 0) return 0;
    const piece: AllocatedPiece = { extents: amount, areas: [] };
    // Take the chosen areas out of their (sorted) lists, shrink them, and put back those with extents left:
    // a binary search each, not a new sort of the PV's areas per round.
    const changed = [...new Set(chosen.map((c) => c.area))];
    for (const a of changed) listOfPv.get(a.pv)!.remove(a);
    chosen.forEach((c, s) => {
      piece.areas.push({ pv: c.area.pv, pe: c.area.start });
      c.area.start += amount;
      c.area.count -= amount;
      if (!alloced[s].includes(c.area.pv)) alloced[s].push(c.area.pv);
    });
    for (const a of changed) if (a.count > 0) listOfPv.get(a.pv)!.insert(a);
    pieces.push(piece);
    allocated += amount;
    return amount;
  };

  const last = ORDER.indexOf(req.policy);
  for (let i = 0; i <= last && allocated < needed; i++) {
    const policy = ORDER[i];
    const flags: Flags = {
      contiguousToSeg: false, clingToSeg: false, clingToAlloced: false, positional: false,
      areaCountMatches: !!prev, canSplit,
    };
    if (prev) {
      if (policy === 'contiguous') { flags.contiguousToSeg = true; flags.positional = true; }
      else if (policy === 'cling') { flags.clingToSeg = true; flags.positional = true; }
    } else if (policy === 'cling') {
      flags.clingToAlloced = true; flags.positional = true;
    }
    if (policy === 'normal') flags.clingToAlloced = true; // maximise_cling (LVM2's default)
    for (;;) {
      const got = round(policy, flags);
      if (allocated >= needed) break;
      if (!got) {
        // Cling to the previous segments: first slot by slot, then (maximise_cling) any matching PVs.
        if (policy === 'cling' && flags.clingToSeg && flags.positional) { flags.positional = false; continue; }
        if (policy === 'normal' && flags.clingToAlloced) { flags.clingToAlloced = false; continue; }
        break;
      }
      if (policy === 'normal' && !flags.clingToAlloced) flags.clingToAlloced = true;
      if (policy === 'contiguous' || !canSplit) break;
    }
  }

  if (allocated < needed && !(req.approx && allocated > 0)) {
    const what = req.policy === 'contiguous' ? 'contiguous ' : '';
    throw new LvmkitError('ENOSPACE',
      `Insufficient suitable ${what}allocatable extents for logical volume ${req.lvName}: ${(needed - allocated) * stripes} more required`);
  }
  return { pieces, extents: allocated * stripes };
}

/**
 * The area one PV offers in a normal, contiguous or cling round that is not positional, from its areas
 * sorted largest first (none empty): what walking them in order gives, found in O(log n).
 * - No checks (`pvMatches` undefined): the smallest area that holds all `required`, else (when the
 *   allocation may be split) the largest one.
 * - Checks: when the PV itself matches (it clings to the LV's first segment or to what this allocation
 *   already uses), every area matches and the walk keeps the last one: the PV's smallest area. Otherwise
 *   only areas continuing the previous segment match, and the walk stops at the first that does not.
 */
function pickFromPv(areas: AreaList, required: number, canSplit: boolean, pvMatches: boolean | undefined,
  continues: (a: FreeArea) => boolean): Pick | undefined {
  if (!areas.length) return undefined;
  const take = (area: FreeArea): Pick => ({ area, used: Math.min(area.count, required) });
  if (pvMatches === undefined) {
    if (areas.at(0).count < required) return canSplit ? take(areas.at(0)) : undefined;
    // Last area with count >= required (the list is sorted by count, largest first).
    let lo = 0;
    let hi = areas.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (areas.at(mid).count >= required) lo = mid; else hi = mid - 1;
    }
    return take(areas.at(lo));
  }
  if (pvMatches) return take(areas.at(areas.length - 1));
  let last: FreeArea | undefined;
  for (const a of areas) {
    if (!continues(a)) break;
    last = a;
  }
  return last && take(last);
}

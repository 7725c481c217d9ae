/**
 * One PV's free areas during an allocation, sorted as LVM2 keeps them (largest first, equal sizes in PE
 * order): a sorted array with a movable head, so that taking the first or the last area is O(1) and
 * any other is found by binary search. (Array.prototype.shift moves every element once the array is
 * large, which made taking thousands of one-extent areas one by one quadratic.)
 */
import { compareAreas, type FreeArea } from './free-map.js';

export class AreaList {
  private items: FreeArea[];
  private head = 0;

  /** `sorted`: non-empty areas in compareAreas order (taken over, not copied). */
  constructor(sorted: FreeArea[]) {
    this.items = sorted;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** The i-th area (0 = largest). */
  at(i: number): FreeArea {
    return this.items[this.head + i];
  }

  *[Symbol.iterator](): IterableIterator<FreeArea> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i];
  }

  /** Position of `area` (or where it would go), by binary search on its current start and count. */
  private position(area: FreeArea): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAreas(this.items[mid], area) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Take `area` out; call before changing its start or count. */
  remove(area: FreeArea): void {
    const i = this.position(area);
    if (this.items[i] !== area) throw new Error('AreaList: area not found (changed before its removal?)');
    if (i === this.head) {
      this.items[this.head++] = undefined as unknown as FreeArea;
      // Drop the dead prefix once it is half the array: amortised O(1) per removal.
      if (this.head > 64 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
    } else if (i === this.items.length - 1) {
      this.items.pop();
    } else {
      this.items.splice(i, 1);
    }
  }

  /** Put `area` back at its place in the order (after changing it). */
  insert(area: FreeArea): void {
    const i = this.position(area);
    if (i === this.head && this.head > 0) this.items[--this.head] = area;
    else this.items.splice(i, 0, area);
  }

  /** The areas as a plain array, in order. */
  toArray(): FreeArea[] {
    return this.items.slice(this.head);
  }
}

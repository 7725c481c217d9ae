/**
 * A one-line progress bar (bytes, bytes/s, ETA) for long copies such as dump and load. It draws on the
 * given stream only when that stream is a terminal, at most ten times a second, and erases itself at the
 * end; when stderr is a pipe or a file nothing at all is written. Node-only.
 */
export interface Progress {
  /** `done` bytes of `total` have been copied. */
  update(done: number): void;
  /** Remove the bar (call once, also after a failure). */
  finish(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB" */
export function humanBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The text of the bar for `done` of `total` bytes after `elapsed` seconds (exported for tests). */
export function progressLine(label: string, done: number, total: number, elapsed: number, width = 80): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const eta = rate > 0 ? (total - done) / rate : NaN;
  const tail = ` ${(frac * 100).toFixed(0).padStart(3)}% ${humanBytes(done)}/${humanBytes(total)} ${humanBytes(rate)}/s ETA ${clock(eta)}`;
  const barWidth = Math.max(10, Math.min(30, width - label.length - tail.length - 4));
  const filled = Math.round(frac * barWidth);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`;
}

export function progressBar(label: string, total: number, stream: ProgressStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, finish() {} };
  const t0 = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done: number) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      drawn = true;
      stream.write(`\r${progressLine(label, done, total, (now - t0) / 1000, stream.columns ?? 80)}\x1b[K`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

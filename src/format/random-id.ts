/** Fresh random LVM2 UUIDs (PV, VG, LV ids): 32 characters of [0-9a-zA-Z], shown 6-4-4-4-4-4-6. */
import { formatUuid } from './uuid.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A new random UUID in 6-4-4-4-4-4-6 form (Web Crypto random source, as in Node 20 and browsers). */
export function randomLvmUuid(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let raw = '';
  // 248 = 4 * 62: rejection-free enough; re-draw the rare bytes above it.
  for (let i = 0; i < 32; i++) {
    let b = bytes[i];
    while (b >= 248) { const one = new Uint8Array(1); globalThis.crypto.getRandomValues(one); b = one[0]; }
    raw += ALPHABET[b % 62];
  }
  return formatUuid(raw);
}

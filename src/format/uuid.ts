/** LVM2 UUIDs (§2.3): 32 characters on disk, 6-4-4-4-4-4-6 with hyphens in text and reports. */
import { ID_LEN, UUID_GROUPS } from './layout.js';

const UUID_ALPHABET = /^[0-9a-zA-Z!#]*$/;

/** "fCB5tXKh3ai348x10IMqv44o7RkAazKc" -> "fCB5tX-Kh3a-i348-x10I-Mqv4-4o7R-kAazKc". Other lengths are returned as is. */
export function formatUuid(raw: string): string {
  if (raw.length !== ID_LEN) return raw;
  const parts: string[] = [];
  let at = 0;
  for (const n of UUID_GROUPS) { parts.push(raw.slice(at, at + n)); at += n; }
  return parts.join('-');
}

/** Remove every hyphen (as LVM does); undefined unless exactly 32 valid characters remain. */
export function parseUuid(s: string): string | undefined {
  const raw = s.replace(/-/g, '');
  return raw.length === ID_LEN && UUID_ALPHABET.test(raw) ? raw : undefined;
}

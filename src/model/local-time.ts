/**
 * Times as LVM2 prints them (strftime "%Y-%m-%d %T %z" of localtime), for every value the metadata may
 * hold: beyond the range of JS Date (years past 275760) the calendar is computed from the day number
 * (proleptic Gregorian, as glibc does) with the time zone's offset at the end of Date's range; past
 * glibc's range (tm_year beyond a 32-bit int) localtime fails and LVM2 prints nothing; %Y of the last
 * years wraps as a 32-bit int, as in LVM2's output.
 */

const INT32_MAX = 2 ** 31 - 1;
const DATE_MAX_SECONDS = 8.64e12;

const p2 = (n: number): string => String(n).padStart(2, '0');

function zone(offsetMinutes: number): string {
  const a = Math.abs(offsetMinutes);
  return `${offsetMinutes >= 0 ? '+' : '-'}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
}

/** Year, month (1-12), day of a day number since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** `seconds` since the epoch as LVM2 prints a time; '' where LVM2 prints nothing (0, or out of range). */
export function formatLvmTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds === 0) return '';
  if (Math.abs(seconds) < DATE_MAX_SECONDS) {
    const d = new Date(seconds * 1000);
    return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${zone(-d.getTimezoneOffset())}`;
  }
  const off = -new Date(Math.sign(seconds) * DATE_MAX_SECONDS * 1000).getTimezoneOffset();
  const local = seconds + off * 60;
  const days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  const [y, m, d] = civilFromDays(days);
  if (y - 1900 > INT32_MAX || y - 1900 < -INT32_MAX - 1) return '';
  const year = y | 0; // %Y is tm_year + 1900 computed as a 32-bit int
  return `${year}-${p2(m)}-${p2(d)} ${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)} ${zone(off)}`;
}

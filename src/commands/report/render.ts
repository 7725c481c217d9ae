/**
 * Output layouts of LVM2's reports.
 *  - basic: every line starts with two spaces (LVM2's log prefix); columns padded to
 *    max(minimum width, heading, widest value) and joined by one space (or --separator);
 *    numbers and sizes right-aligned, the rest left-aligned; the last column is padded too.
 *    With --separator and without --aligned, nothing is padded. No rows -> no output at all.
 *  - basic with --nameprefixes (LVM2_FIELD='value', --unquoted without quotes) or --rows (one line per
 *    field): nothing padded, as LVM2 prints them.
 *  - json (2.03.16): all values are strings; the byte layout of format reference §10.1.
 *  - json_std (LVM2 >= 2.03.17, rejected by 2.03.16): same layout and prefix, but numeric fields
 *    are JSON numbers when the value is a plain number, empty numeric values are null, and
 *    string lists are JSON arrays.
 */
import type { FieldDef } from './fields.js';
import { isNumeric, isRightAligned } from './fields.js';

/** One cell: the display text, plus the list items for string-list fields (json_std). */
export interface Cell { text: string; list?: string[] }

export interface Table {
  /** "pv", "vg", "lv", "seg" or "pvseg": the JSON key. */
  jsonKey: string;
  fields: FieldDef[];
  rows: Cell[][];
}

export interface BasicOptions { noheadings?: boolean; separator?: string; aligned?: boolean; nameprefixes?: boolean; unquoted?: boolean; rows?: boolean }

export function renderBasic(t: Table, o: BasicOptions): string {
  if (t.rows.length === 0) return '';
  if (o.rows) return renderRows(t, o);
  if (o.nameprefixes) return renderPrefixed(t, o);
  const pad = o.separator === undefined || o.aligned === true;
  const sep = o.separator ?? ' ';
  const widths = t.fields.map((f, i) => columnWidth(f, t.rows, i));
  const lines: string[] = [];
  const line = (cells: string[], alignRight: (i: number) => boolean): string =>
    '  ' + cells.map((c, i) => (pad ? padCell(c, widths[i]!, alignRight(i)) : c)).join(sep);
  // Padded, LVM2 cuts a heading longer than its column (lv_initial_image_sync: "InitImgSync" in 10 -> "InitImgSyn").
  if (!o.noheadings) lines.push(line(t.fields.map((f, i) => (pad ? f.heading.slice(0, widths[i]) : f.heading)), () => false));
  for (const r of t.rows) lines.push(line(r.map((c) => c.text), (i) => isRightAligned(t.fields[i]!.kind)));
  return lines.join('\n') + '\n';
}

/** --rows: one line per field, its heading then its values; LVM2 pads nothing in this layout (not even --aligned). */
function renderRows(t: Table, o: BasicOptions): string {
  const sep = o.separator ?? ' ';
  const q = o.unquoted ? '' : "'";
  return t.fields.map((f, i) => {
    const values = t.rows.map((r) => (o.nameprefixes ? `LVM2_${f.id.toUpperCase()}=${q}${r[i]!.text}${q}` : r[i]!.text));
    return '  ' + (o.noheadings ? values : [f.heading, ...values]).join(sep);
  }).join('\n') + '\n';
}

/** --nameprefixes: headings as they are, rows of LVM2_<FIELD>='value' (--unquoted: value bare); nothing padded. */
function renderPrefixed(t: Table, o: BasicOptions): string {
  const sep = o.separator ?? ' ';
  const q = o.unquoted ? '' : "'";
  const lines: string[] = [];
  if (!o.noheadings) lines.push('  ' + t.fields.map((f) => f.heading).join(sep));
  for (const r of t.rows) lines.push('  ' + r.map((c, i) => `LVM2_${t.fields[i]!.id.toUpperCase()}=${q}${c.text}${q}`).join(sep));
  return lines.join('\n') + '\n';
}

function columnWidth(f: FieldDef, rows: Cell[][], i: number): number {
  // The field's width, else its heading's; then its widest value.
  let w = f.width > 0 && f.width < f.heading.length ? f.width : Math.max(f.width, f.heading.length);
  for (const r of rows) w = Math.max(w, r[i]!.text.length);
  return w;
}

function padCell(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** LVM2 escapes only '"' and '\' in JSON strings. */
function jsonString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

function jsonStdValue(f: FieldDef, c: Cell): string {
  if (c.list !== undefined) return '[' + c.list.map(jsonString).join(', ') + ']';
  if (isNumeric(f.kind)) {
    if (c.text === '') return 'null';
    if (NUMERIC.test(c.text)) return c.text;
  }
  return jsonString(c.text);
}

export function renderJson(t: Table, std: boolean): string {
  const p = '  ';
  const rowText = (r: Cell[]): string =>
    '{' + r.map((c, i) => {
      const f = t.fields[i]!;
      return jsonString(f.id) + ':' + (std ? jsonStdValue(f, c) : jsonString(c.text));
    }).join(', ') + '}';
  const out: string[] = [`${p}{`, `${p}    "report": [`, `${p}        {`];
  out.push(`${p}            "${t.jsonKey}": [`);
  out.push(...t.rows.map((r, i) => `${p}                ${rowText(r)}${i < t.rows.length - 1 ? ',' : ''}`));
  out.push(`${p}            ]`, `${p}        }`, `${p}    ]`, `${p}}`);
  return out.join('\n') + '\n';
}

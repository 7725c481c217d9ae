/**
 * Parsing LVM2 config text (on-disk metadata, backup files, lvm.conf) into a ConfigDocument.
 * The grammar is grammar/lvm-config.peggy; this file only runs it and turns its syntax errors
 * into one-line LvmkitErrors.
 */
import { LvmkitError } from '../errors.js';
import type { ConfigDocument } from './config-tree.js';
import { parse as runGrammar, SyntaxError as GrammarSyntaxError } from './generated/lvm-config-parser.js';
import type { PeggySyntaxError } from './generated/lvm-config-parser.js';

/**
 * Parses config text. A NUL character ends the text (on disk the metadata text is NUL-terminated).
 * @param source names the text in error messages (a file name, or e.g. "/dev/sdb mda0").
 * @throws LvmkitError EPARSE: "<source>:<line>:<column>: expected <what>, found <what>"
 */
export function parseConfig(text: string, source = '<text>'): ConfigDocument {
  const nul = text.indexOf('\0');
  const input = nul === -1 ? text : text.slice(0, nul);
  try {
    return runGrammar(input, { grammarSource: source }) as ConfigDocument;
  } catch (e) {
    if (e instanceof GrammarSyntaxError) throw syntaxError(e, source);
    throw e;
  }
}

function syntaxError(e: PeggySyntaxError, source: string): LvmkitError {
  const { line, column, offset } = e.location.start;
  const what = e.expected === null ? e.message : `expected ${describeExpected(e.expected)}, found ${describeFound(e.found)}`;
  return new LvmkitError('EPARSE', `${source}:${line}:${column}: ${what}`, { file: source, offset, cause: e });
}

type Expectation = NonNullable<PeggySyntaxError['expected']>[number];

/** Things that may always stand between tokens; listed only when nothing else was expected. */
const FILLERS = new Set(['whitespace', 'comment']);

function describeExpected(expected: Expectation[]): string {
  const all: string[] = [];
  for (const x of expected) {
    const d = describeExpectation(x);
    if (!all.includes(d)) all.push(d);
  }
  const useful = all.filter((d) => !FILLERS.has(d));
  const list = useful.length > 0 ? useful : all;
  if (list.length <= 1) return list[0] ?? 'nothing';
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

function describeExpectation(x: Expectation): string {
  switch (x.type) {
    case 'literal': return JSON.stringify(x.text);
    case 'end': return 'end of input';
    case 'any': return 'any character';
    default: return x.description ?? x.type;
  }
}

function describeFound(found: string | null): string {
  return found === null ? 'end of input' : JSON.stringify(found);
}

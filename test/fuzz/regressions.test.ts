/**
 * Every finding the fuzzer saved under test/fuzz/findings/ (and the hand-made ones written like them)
 * is replayed on its target: the outcome must now be a result or an LvmkitError with a clear one-line
 * message. A finding is kept after its fix, so the bug cannot come back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/images.js';
import { loadCorpus } from './corpus.js';
import { runCase, targetByName, type SavedFinding } from './engine.js';

const dir = join(REPO_ROOT, 'test', 'fuzz', 'findings');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const corpus = await loadCorpus(REPO_ROOT);

describe('saved fuzz findings replay without a finding', () => {
  it('there are saved findings to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    it(f, async () => {
      const saved = JSON.parse(readFileSync(join(dir, f), 'utf8')) as SavedFinding;
      const out = await runCase(targetByName(saved.target), saved.input, corpus);
      expect(out.status === 'ok' || out.status === 'error', `${saved.what} (${saved.message.slice(0, 200)}) still happens: ${out.status} ${out.message ?? ''}\n${out.stack ?? ''}`).toBe(true);
      if (saved.fixed === undefined) throw new Error(`${f}: add "fixed" (what was wrong and what changed) once the bug is fixed`);
    });
  }
});

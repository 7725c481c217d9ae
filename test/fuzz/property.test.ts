/**
 * The short, seeded version of `npm run fuzz` that runs in npm test: property tests with fast-check.
 * 1. The fuzzer's own mutated cases (images and texts from real LVM2) on every target, a few dozen per
 *    seed: each outcome is a result or an LvmkitError with a clear one-line message.
 * 2. Arbitrary bytes as label sectors and metadata area headers, arbitrary strings and structured
 *    config texts (generated from the grammar's tokens) for the parser and the model.
 * A failure prints the fast-check seed and path to replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LvmkitError } from '../../src/errors.js';
import { findLabel } from '../../src/format/label.js';
import { checkMdaHeader, decodeMdaHeader } from '../../src/format/mda.js';
import { parseConfig } from '../../src/metadata/parse.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { validateVg } from '../../src/model/validate.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import { REPO_ROOT } from '../helpers/images.js';
import { loadCorpus } from './corpus.js';
import { TARGETS, makeCase, runCase } from './engine.js';

const corpus = await loadCorpus(REPO_ROOT);
const SEED = 20261122;

/** Runs `fn`; only LvmkitErrors with a one-line message may escape. */
function lvmkitOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof LvmkitError)) throw e;
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('fuzz cases from real images and texts (seeded)', () => {
  for (const kind of ['image', 'text'] as const) {
    it(`${kind} cases on every target`, async () => {
      await fc.assert(fc.asyncProperty(fc.nat(), async (index) => {
        const c = makeCase(SEED, index, corpus, kind);
        for (const t of TARGETS.filter((x) => x.kind === kind)) {
          const out = await runCase(t, c, corpus);
          if (out.status !== 'ok' && out.status !== 'error') {
            throw new Error(`${t.name}: ${out.status}: ${out.message}\nsteps: ${c.kind === 'image' ? c.steps.join(', ') : c.steps.join(', ')}\n${out.stack ?? ''}`);
          }
        }
      }), { seed: SEED, numRuns: kind === 'image' ? 25 : 60 });
    });
  }
});

describe('arbitrary bytes and texts', () => {
  it('label sectors: any 2 KiB, with LABELONE planted in one sector', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 2048, maxLength: 2048 }), fc.integer({ min: 0, max: 3 }), (bytes, sector) => {
      bytes.set(new TextEncoder().encode('LABELONE'), sector * 512);
      lvmkitOnly(() => findLabel(bytes, 'arb.img'));
      lvmkitOnly(() => findLabel(bytes, 'arb.img', { allowBadCrc: true }));
    }), { seed: SEED, numRuns: 300 });
  });

  it('metadata area headers: any 512 bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 512, maxLength: 512 }), (bytes) => {
      lvmkitOnly(() => {
        const d = decodeMdaHeader(bytes, 'arb.img', 4096);
        checkMdaHeader(d, 4096, 'arb.img');
      });
    }), { seed: SEED, numRuns: 300 });
  });

  it('the parser: any string', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
      lvmkitOnly(() => parseConfig(text, 'arb.vg'));
    }), { seed: SEED, numRuns: 500 });
  });

  // Texts built from the grammar's tokens, so most of them get past the parser into the model.
  const word = fc.constantFrom('id', 'seqno', 'status', 'extent_size', 'pe_count', 'pe_start', 'segment_count', 'start_extent',
    'extent_count', 'type', 'stripe_count', 'stripes', 'physical_volumes', 'logical_volumes', 'pv0', 'lv', 'segment1',
    '__proto__', 'constructor', 'toString', 'contents', 'version');
  const scalar = fc.oneof(
    fc.constantFrom('"striped"', '"pv0"', '"READ"', '"VISIBLE"', '"Text Format Volume Group"', '"x"', '""'),
    fc.integer({ min: -5, max: 40 }).map(String),
    fc.constantFrom('18446744073709551616', '9223372036854775807', '4294967296', '1.5', "'q'", 'bare'),
  );
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 6 }).map((a) => `[${a.join(', ')}]`));
  const item: fc.Memo<string> = fc.memo((n) => (n <= 1
    ? fc.tuple(word, value).map(([k, v]) => `${k} = ${v}\n`)
    : fc.oneof(
      fc.tuple(word, value).map(([k, v]) => `${k} = ${v}\n`),
      fc.tuple(word, fc.array(item(n - 1), { maxLength: 5 })).map(([k, body]) => `${k} {\n${body.join('')}}\n`),
    )));
  it('the parser, the model and validation: texts made of the grammar\'s tokens', () => {
    fc.assert(fc.property(fc.array(item(5), { maxLength: 6 }), (items) => {
      const text = `contents = "Text Format Volume Group"\nversion = 1\n${items.join('')}`;
      lvmkitOnly(() => {
        const vg = vgFromConfig(parseConfig(text, 'arb.vg'), { source: 'arb.vg', codecs: lookupSegtype });
        for (const p of validateVg(vg)) expect(p.message).not.toContain('\n');
      });
    }), { seed: SEED, numRuns: 400 });
  });
});

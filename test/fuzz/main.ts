/**
 * `npm run fuzz` (scripts/fuzz.mjs bundles this file and runs it): mutated images and metadata texts fed
 * to every fuzz target for a given time or count, from a seed. The cases run in a child process with a
 * 512 MiB heap; the parent watches it. A case whose outcome is neither a result nor an LvmkitError
 * with a clear one-line message, a case over 2 s, one that hangs (killed after 20 s) and one that runs
 * the child out of memory (or kills it otherwise) are findings, saved as JSON under test/fuzz/findings/ (replayed by
 * test/fuzz/regressions.test.ts). Node-only.
 *
 *   npm run fuzz -- [--seed N] [--time SECONDS | --count N] [--start N] [--target NAME]... [--kind image|text] [--out DIR]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  TARGETS, findingSignature, isFinding, makeCase, runCase, type Corpus, type FuzzCase, type SavedFinding, type Target,
} from './engine.js';
import { loadCorpus } from './corpus.js';

const SLOW_MS = 2000;
const HANG_MS = 20_000;
const HEAP_MB = Number(process.env.LVMKIT_FUZZ_HEAP_MB ?? 512);

interface Options {
  root: string;
  seed: number;
  time?: number;
  count?: number;
  targets: string[];
  kind?: 'image' | 'text';
  out: string;
  /** First case number (to replay case N of a seed: --start N --count N+1). */
  start: number;
}

type Msg =
  | { type: 'start'; index: number; target: string }
  | { type: 'done'; index: number; target: string; status: string; ms: number }
  | { type: 'finding'; file: string; what: string; target: string; message: string }
  | { type: 'end' };

function targetsFor(o: Options, c: FuzzCase): Target[] {
  return TARGETS.filter((t) => t.kind === c.kind && (!o.targets.length || o.targets.includes(t.name)));
}

function save(o: Options, f: SavedFinding): string | undefined {
  // Findings are committed: no path of this machine in them (stacks name files relative to the repository).
  const rel = (t: string | undefined) => t?.split(o.root + '/').join('').split(o.root).join('.');
  f.message = rel(f.message)!;
  if (f.stack) f.stack = rel(f.stack);
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, `${findingSignature(f)}.json`);
  if (existsSync(file)) return undefined;
  writeFileSync(file, JSON.stringify(f, null, 1) + '\n');
  return file;
}

// ------------------------------------------------------------------ worker

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const usedMb = () => (getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers) / 2 ** 20;

async function workerLoop(o: Options, start: number, end: number, deadline: number): Promise<void> {
  const corpus = await loadCorpus(o.root);
  const corpusMb = [...corpus.images.values()].reduce((n, i) => n + i.bytes.length, 0) / 2 ** 20;
  const post = (m: Msg) => { process.send!(m); };
  for (let i = start; i < end && Date.now() < deadline; i++) {
    const c = makeCase(o.seed, i, corpus, o.kind);
    for (const t of targetsFor(o, c)) {
      post({ type: 'start', index: i, target: t.name });
      const t0 = performance.now();
      const out = await runCase(t, c, corpus);
      const ms = performance.now() - t0;
      let heapMb = usedMb();
      let what: string | undefined = isFinding(out) ? out.status : undefined;
      if (!what && ms > SLOW_MS) what = 'slow';
      // Memory still held after the case (and after a full GC: garbage of earlier cases does not count),
      // beyond the corpus. A case that goes past the heap limit while it runs kills the worker (a finding too).
      if (!what && heapMb > HEAP_MB + corpusMb) {
        gc();
        heapMb = usedMb();
        if (heapMb > HEAP_MB + corpusMb) what = 'memory';
      }
      if (what) {
        const f: SavedFinding = { target: t.name, what, message: out.message ?? `${what}: ${ms.toFixed(0)} ms, ${heapMb.toFixed(0)} MiB`, stack: out.stack, seed: o.seed, index: i, ms: Math.round(ms), memoryMb: Math.round(heapMb), input: c };
        const file = save(o, f);
        if (file) post({ type: 'finding', file, what, target: t.name, message: f.message });
      }
      post({ type: 'done', index: i, target: t.name, status: what ?? out.status, ms });
    }
  }
  post({ type: 'end' });
}

// ------------------------------------------------------------------ main thread

function parseArgs(argv: string[], root: string): Options {
  const o: Options = { root, seed: Math.floor(Math.random() * 2 ** 31), targets: [], out: join(root, 'test', 'fuzz', 'findings'), start: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => { const x = argv[++i]; if (x === undefined) throw new Error(`${a} needs a value`); return x; };
    if (a === '--seed') o.seed = Number(v());
    else if (a === '--time') o.time = Number(v());
    else if (a === '--count') o.count = Number(v());
    else if (a === '--start') o.start = Number(v());
    else if (a === '--target') o.targets.push(v());
    else if (a === '--kind') o.kind = v() as 'image' | 'text';
    else if (a === '--out') o.out = v();
    else if (a === '--help' || a === '-h') {
      console.log('npm run fuzz -- [--seed N] [--time SECONDS | --count N] [--start N] [--target NAME]... [--kind image|text] [--out DIR]');
      console.log(`targets: ${TARGETS.map((t) => `${t.name} (${t.kind})`).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  if (o.time === undefined && o.count === undefined) o.time = 60;
  for (const t of o.targets) if (!TARGETS.some((x) => x.name === t)) throw new Error(`no target ${t}: ${TARGETS.map((x) => x.name).join(', ')}`);
  return o;
}

async function main(root: string, argv: string[]): Promise<number> {
  const o = parseArgs(argv, root);
  const deadline = o.time !== undefined ? Date.now() + o.time * 1000 : Number.MAX_SAFE_INTEGER;
  const end = o.count ?? Number.MAX_SAFE_INTEGER;
  console.log(`lvmkit fuzz: seed ${o.seed}, ${o.time !== undefined ? `${o.time} s` : `${o.count} cases`}, targets ${(o.targets.length ? o.targets : TARGETS.map((t) => t.name)).join(', ')}`);
  console.log(`replay case N: npm run fuzz -- --seed ${o.seed} --start N --count N+1`);
  const stats = new Map<string, Map<string, number>>();
  const findings: string[] = [];
  let next = o.start;
  let cases = 0;
  let corpus: Corpus | undefined;
  const started = Date.now();
  const progress = setInterval(() => {
    console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${cases} cases, ${findings.length} finding(s)`);
  }, 60_000);
  while (next < end && Date.now() < deadline) {
    const current: { index: number; target: string; since: number } = { index: next, target: '', since: Date.now() };
    const outcome = await new Promise<{ kind: 'end' } | { kind: 'killed' | 'crash'; why: string }>((resolve) => {
      const w = fork(fileURLToPath(import.meta.url), [], {
        execArgv: [`--max-old-space-size=${HEAP_MB}`, '--enable-source-maps'],
        env: { ...process.env, LVMKIT_FUZZ_CHILD: JSON.stringify({ o, start: next, end, deadline }) },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      w.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
      let settled = false;
      const finish = (r: { kind: 'end' } | { kind: 'killed' | 'crash'; why: string }) => {
        if (settled) return;
        settled = true;
        clearInterval(watch);
        resolve(r);
      };
      const watch = setInterval(() => {
        if (current.target && Date.now() - current.since > HANG_MS) {
          w.kill('SIGKILL');
          finish({ kind: 'killed', why: `no result after ${HANG_MS / 1000} s` });
        }
      }, 250);
      w.on('message', (m: Msg) => {
        if (m.type === 'start') { current.index = m.index; current.target = m.target; current.since = Date.now(); }
        else if (m.type === 'done') {
          current.target = '';
          next = m.index + 1;
          const s = stats.get(m.target) ?? new Map<string, number>();
          s.set(m.status, (s.get(m.status) ?? 0) + 1);
          stats.set(m.target, s);
          cases = Math.max(cases, m.index + 1);
        } else if (m.type === 'finding') {
          findings.push(m.file);
          console.log(`FINDING ${m.what} in ${m.target} (case ${current.index}): ${m.message.split('\n')[0]!.slice(0, 300)}\n  saved: ${m.file}`);
        } else if (m.type === 'end') finish({ kind: 'end' });
      });
      w.on('error', (e) => finish({ kind: 'crash', why: `${(e as NodeJS.ErrnoException).code ?? e.name}: ${e.message}` }));
      w.on('exit', (code, signal) => {
        if (code === 0) { finish({ kind: 'end' }); return; }
        const oom = /heap out of memory|Reached heap limit/.exec(stderr);
        finish({ kind: 'crash', why: oom ? `JavaScript heap out of memory (over ${HEAP_MB} MiB)` : `fuzz child exited with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
      });
    });
    if (outcome.kind === 'end') break;
    // The worker died or hung on (current.index, current.target): save that case as a finding and go on after it.
    corpus ??= await loadCorpus(root);
    const c = makeCase(o.seed, current.index, corpus, o.kind);
    const what = /OUT_OF_MEMORY|heap/i.test(outcome.why) ? 'memory' : outcome.kind === 'killed' ? 'slow' : 'crash';
    const file = save(o, { target: current.target || TARGETS.find((t) => t.kind === c.kind)!.name, what, message: outcome.why, seed: o.seed, index: current.index, input: c });
    if (file) { findings.push(file); console.log(`FINDING ${what} in ${current.target} (case ${current.index}): ${outcome.why}\n  saved: ${file}`); }
    next = current.index + 1;
  }
  clearInterval(progress);
  console.log(`\n${cases} cases (seed ${o.seed})`);
  for (const [t, s] of stats) console.log(`  ${t.padEnd(28)} ${[...s].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(findings.length ? `${findings.length} finding(s) saved under ${o.out}` : 'no findings');
  return findings.length ? 1 : 0;
}

if (!process.env.LVMKIT_FUZZ_CHILD) {
  const root = process.env.LVMKIT_ROOT ?? process.cwd();
  main(root, process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    console.error(`fuzz: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  });
} else {
  const d = JSON.parse(process.env.LVMKIT_FUZZ_CHILD) as { o: Options; start: number; end: number; deadline: number };
  workerLoop(d.o, d.start, d.end, d.deadline).catch((e: unknown) => {
    console.error(`fuzz child: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(3);
  }).then(() => process.disconnect?.());
}

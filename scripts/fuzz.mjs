// npm run fuzz [-- --seed N --time SECONDS | --count N --target NAME --kind image|text]
// Bundles the fuzzer (test/fuzz/main.ts, with lvmkit's sources) with esbuild (tsup's own bundler) into a
// temporary directory and runs it. Findings are saved under test/fuzz/findings/; see test/fuzz/README.md.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'lvmkit-fuzz-'));
try {
  await build({
    entryPoints: [join(root, 'test', 'fuzz', 'main.ts')],
    outfile: join(out, 'main.mjs'),
    bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: 'inline', logLevel: 'error',
  });
  const r = spawnSync(process.execPath, ['--enable-source-maps', join(out, 'main.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit', cwd: root, env: { ...process.env, LVMKIT_ROOT: root },
  });
  process.exitCode = r.status ?? 2;
} finally {
  rmSync(out, { recursive: true, force: true });
}

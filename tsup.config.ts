import { defineConfig } from 'tsup';

// Two bundles: the library (with type declarations) and the CLI.
// The CLI is self-contained ESM (no node_modules lookups at start-up): an entry file plus chunks.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { cli: 'cli/main.ts' },
    format: ['esm'],
    // yargs (and the verbs) go to a chunk loaded only when the fast path of cli/main.ts does not apply.
    splitting: true,
    // Fixed chunk names (no hash): a rebuild overwrites them, so old chunks never pile up, and nothing is
    // deleted (tsup's `clean` empties the whole folder, which breaks anything running dist/ meanwhile).
    esbuildOptions(o) { o.chunkNames = 'cli-[name]'; },
    clean: false,
    dts: false,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    noExternal: [/.*/],
    // Start-up time is part of the product: a minified bundle parses faster.
    minify: true,
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __lvmkitCreateRequire } from 'node:module';\nconst require = __lvmkitCreateRequire(import.meta.url);" },
  },
]);

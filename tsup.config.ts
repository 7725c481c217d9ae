import { defineConfig } from 'tsup';

// Two bundles: the library (with type declarations) and the CLI.
// The CLI is one self-contained ESM file so node's start-up reads as few modules as possible.
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
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    noExternal: [/.*/],
    // Start-up time is part of the product: a minified bundle parses faster.
    minify: true,
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __lvmkitCreateRequire } from 'node:module';\nconst require = __lvmkitCreateRequire(import.meta.url);" },
  },
]);

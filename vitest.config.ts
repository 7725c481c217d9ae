import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Interop tests share loop devices and real lvm2; keep files sequential per worker pool of 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});

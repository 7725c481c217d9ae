/**
 * Test helper for the crash and lock tests: run the built CLI with extra environment variables (the crash
 * hook of devices/file-device.ts, the lock pause of commands/lock.ts), synchronously or in the background.
 */
import { spawn, spawnSync } from 'node:child_process';
import { CLI } from '../cli/cli-harness.js';
import { REPO_ROOT } from '../helpers/images.js';

export interface EnvRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export function runCliEnv(args: string[], env: Record<string, string>): EnvRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, LC_ALL: 'C', ...env },
  });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Start the CLI in the background; the promise settles when it exits. */
export function startCli(args: string[], env: Record<string, string>): { pid: number; done: Promise<EnvRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, LC_ALL: 'C', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<EnvRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, done };
}

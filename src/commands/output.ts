/** What a command hands back to the CLI (or to a library caller): text and warnings, never printed here. */
export interface CommandOutput {
  stdout: string;
  /** Warnings in LVM2's words, without the "WARNING: " prefix. */
  warnings: string[];
  exitCode?: number;
}

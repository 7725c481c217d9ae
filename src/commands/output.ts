/** What a command hands back to the CLI (or to a library caller): text and warnings, never printed here. */
export interface CommandOutput {
  stdout: string;
  /** Warnings in LVM2's words, without the "WARNING: " prefix. */
  warnings: string[];
  /** Error lines in LVM2's words (printed without a prefix, e.g. `Volume group "x" not found`); set exitCode too. */
  errors?: string[];
  exitCode?: number;
}

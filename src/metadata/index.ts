/** The metadata layer: LVM2 config text syntax (no bytes, no VG semantics). */
export * from './config-tree.js';
export { parseConfig } from './parse.js';
export { printConfig, alignmentTabs, quote, type PrintFlavour, type PrintOptions } from './printer.js';

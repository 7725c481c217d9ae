/**
 * lvmkit's public API. Layers, bottom up: devices -> format / metadata -> model -> segtypes -> commands.
 */
export * from './errors.js';
export * from './devices/index.js';
export * from './format/index.js';
export { mdaFreeBytes } from './format/mda-space.js';
export * from './metadata/index.js';
export type * from './model/types.js';
export { vgFromConfig, type FromConfigOptions } from './model/from-config.js';
export { vgToConfig, sizeComment, formatLocalTime, type ToConfigOptions, type Flavour } from './model/to-config.js';
export { validateVg, type ValidationIssue } from './model/validate.js';
export { nameProblem, vgNameProblem, lvNameProblem, tagProblem } from './model/names.js';
export { mergeAdjacentSegments } from './model/merge.js';
export type { SegmentCodec, SegmentCodecLookup, SegmentDecodeContext, SegmentEncodeContext } from './model/segment-codec.js';
export { lookupSegtype, registerSegtype } from './segtypes/registry.js';
export { scanDevices, type ScanResult, type ScannedPv, type ScannedVg, type MetadataCopy, type ScanOptions } from './commands/scan.js';
export { reportCommand, toReportInput, type ReportCommandOptions } from './commands/reporting.js';
export { runReport, type ReportInput, type ReportOptions, type ReportResult } from './commands/report/index.js';
export { inspectImages, inspectCommand, type InspectedDevice, type InspectedMda } from './commands/inspect.js';
export { metadataCommand, metadataHistory, type MetadataVersion, type MetadataCommandOptions } from './commands/metadata.js';
export type { CommandOutput } from './commands/output.js';
export { openFileDevice, FileDevice, type OpenFileOptions } from './devices/file-device.js';
export { commitVg, renderRawText, type CommitOptions } from './commands/commit.js';
export { makeHeader, ctime, type HeaderInfo } from './model/header.js';
export type { Target, TargetArea, TargetKind, AreaDevice, SegmentDm, SegmentDmContext } from './segtypes/target.js';
export { linearTarget, stripedTarget, stripedDm } from './segtypes/striped.js';
export { errorTarget, zeroTarget, errorDm, zeroDm } from './segtypes/fill.js';
export { lookupSegtypeDm, registerSegtypeDm } from './segtypes/registry.js';
export { DmMapper, DEFAULT_MAX_IO, type MapperOptions } from './dm/mapper.js';
export { compileLv, compileVg, dmName, dmUuid, partialRefusal, type CompileOptions, type CompiledLv, type CompiledVg, type DmDevice, type MissingRange, type StripeFiller } from './dm/table.js';
export { formatTable, formatTables, formatConcise, tableLines, imageNamer, type DeviceNamer } from './dm/format.js';
export { createDeviceReadStream, type DeviceStreamOptions } from './dm/stream.js';
export { tableCommand, openLv, parseLvName, parseDeviceMap, type TableCommandOptions, type OpenLvOptions, type OpenedLv } from './commands/table.js';
export { dumpCommand, copyDevice, type DumpCommandOptions, type DumpResult, type DumpedLv } from './commands/dump.js';
export { loadCommand, type LoadCommandOptions, type LoadResult } from './commands/load.js';
export { progressBar, progressLine, type Progress } from './commands/progress.js';

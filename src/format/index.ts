export * from './layout.js';
export { lvmCrc, crcHex } from './crc.js';
export {
  decodeStruct, encodeStruct, defineStruct, fieldLength, asciiBytes, latin1,
  type FieldType, type FieldDesc, type StructDesc, type StructValue, type StructContext,
} from './struct.js';
export { formatUuid, parseUuid } from './uuid.js';
export {
  readLabel, findLabel, decodeLabelSector, encodeLabelSector,
  type DiskLocn, type PvLabel, type ReadLabelOptions, type LabelInput,
} from './label.js';
export {
  readMetadataArea, decodeMdaHeader, checkMdaHeader, encodeMdaHeader, textPieces, rawLocnProblem,
  maxMetadataTextSize, nextRawLocation, encodeMetadataText, metadataTextWrites, piecesCrc, decodeStoredText,
  EMPTY_RAW_LOCN,
  type RawLocn, type MdaHeader, type DecodedMdaHeader, type MdaHeaderInput, type TextPiece, type NextLocation,
  type DeviceWrite, type MdaRead, type ReadMdaOptions,
} from './mda.js';
export { scanMetadataHistory, scanAreaBytes, type MetadataHistoryEntry, type HistoryArea } from './history.js';

export type { BlockDevice } from './block-device.js';
export { MemoryDevice, type MemoryDeviceOptions } from './memory-device.js';
export { SubDevice } from './sub-device.js';
export {
  listPartitions, openCandidates, guidString, PART_SECTOR_SIZE,
  type PartitionInfo, type OpenCandidatesOptions,
} from './partitions.js';
// FileDevice (Node only) is exported from './file-device.js'; import it directly so the browser build stays Node-free.

/** The `local` backend: workers as child processes under real memory and CPU limits. */
export {
  LocalBackend,
  type LocalBackendOptions,
  type IsolationChoice,
  type LocalSampleExtras,
} from './local-backend.js';
export type { StageContext, Partition, Segment, ByteRange, ObjectInfo } from './stage-context.js';
export { FsObjectStore, checkKey, defaultStoreRoot } from './object-store.js';
export { partitionInput, type PartitionOptions, type PartitionUnit } from './partition.js';
export { detectCgroups, reapStaleCgroups, type IsolationMode, type CgroupSupport } from './cgroups.js';
export { ResourcePool, hostCapacity, type Resources } from './scheduler.js';

export { LithopsBackend, type LithopsBackendOptions } from './lithops-backend.js';
export { lithopsConfigOf } from './workflow-options.js';
export { partitionKeys, stagePartitions, type LithopsPartition } from './partitions.js';
export { SETUP_COMMAND } from './bridge-python.js';

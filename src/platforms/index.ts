export { CATALOG } from './catalog.js';
export { PlatformRegistry, loadPlatformFile } from './registry.js';
export {
  allowedSizes,
  allowedWorkers,
  workerAxis,
  axisRange,
  assertSpacesAllowConfigs,
  emptySpaceError,
  resolveVcpu,
  resolveConfig,
  platformMaxVcpu,
  isAllowedSize,
  configProblem,
  type Size,
} from './resources.js';
export {
  pricePerSecond,
  billedMs,
  runCostUSD,
  expectedRunCostUSD,
  storageCostUSD,
  type StorageRequests,
} from './cost.js';

export {
  ScenarioSchema,
  SCENARIO_SCHEMA,
  defineScenario,
  type Scenario,
  type ScenarioInput,
} from './scenario.js';
export { truthAt, type StageTruth, type SimConfig, type TruthOptions } from './truth.js';
export { simulateRun, type SimRunOptions } from './generate.js';
export { expectedMaxFactor } from './expected-max.js';
export { mulberry32, rngFor, hashKey, type Rng } from '../../core/prng.js';
export { SimBackend, type SimBackendOptions } from './sim-backend.js';
export { loadScenarioFile, parseScenarioDocument, type ScenarioMap } from './scenario-file.js';

import { describe, expect, it } from 'vitest';
import { recordToRunResult } from '../../../src/backends/lithops/to-run-result.js';
import { PlatformRegistry } from '../../../src/platforms/index.js';
import { TIMEOUT_RECORD } from '../../fixtures/lithops-record.js';

const platform = new PlatformRegistry().get('aws-lambda-x86');
const req = {
  runId: 'r1',
  workflow: 'w',
  stage: { name: 's' },
  config: { workers: 1, memoryMB: 512, vcpu: 512 / 1769 },
  inputBytes: null,
  rep: 0,
  timeoutMs: 60_000,
  seed: 1,
};
const record = TIMEOUT_RECORD;

describe('recordToRunResult', () => {
  it("takes a bridge record as the importer does, under the request's run id", () => {
    const { sample } = recordToRunResult(record, req, platform);
    expect(sample).toMatchObject({ runId: 'r1', status: 'timeout', platform: 'aws-lambda-x86' });
  });

  it('says once, without file lines, why a record makes no valid run', () => {
    expect(() => recordToRunResult({ ...record, inputBytes: 1e30 }, req, platform)).toThrow(
      /^the Lithops bridge's record is no valid run: the run does not make a valid sample \(inputBytes: .*exabyte/,
    );
  });
});

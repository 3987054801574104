import { describe, expect, it } from 'vitest';
import { onAxis, PlatformSchema } from '../../src/core/schemas.js';

describe('onAxis', () => {
  it('takes the steps of a fractional step despite rounding, and nothing between them', () => {
    const axis = { min: 512, max: 1024, step: 102.4 };
    // (614.4 − 512) / 102.4 is 0.99999… in floating point.
    expect(onAxis(axis, 614.4)).toBe(true);
    expect(onAxis(axis, 1024)).toBe(true);
    expect(onAxis(axis, 600)).toBe(false);
    expect(onAxis(axis, 1126.4)).toBe(false);
    expect(onAxis([128, 256], 256)).toBe(true);
    expect(onAxis([128, 256], 200)).toBe(false);
  });

  it("lets a platform's CPU pairs sit on such steps", () => {
    const platform = {
      schema: 'rightsizer.platform/v1',
      id: 'stepped',
      memoryMB: { min: 512, max: 1024, step: 102.4 },
      cpu: { kind: 'pairs', pairs: [{ memoryMB: 614.4, vcpu: 1 }] },
    };
    const r = PlatformSchema.safeParse(platform);
    const messages = r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
    expect(messages).not.toMatch(/memoryMB sizes/);
  });
});

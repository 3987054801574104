import { describe, expect, it } from 'vitest';
import { fitStage } from '../../src/models/fit-stage.js';
import { renderModel } from '../../src/report/model-table.js';
import { generate, typicalLaw } from '../models/synthetic.js';

describe('renderModel', () => {
  it('says what a family not tried needs; the count the stage has is in its header', () => {
    const three: [number, number][] = [
      [4, 1024],
      [16, 2048],
      [64, 3008],
    ];
    const summary = fitStage(generate(typicalLaw, three)).describe();
    const text = renderModel(summary);
    expect(text).toMatch(/3 configs, 9 runs/);
    const needs = summary.phases.flatMap((p) => p.tried).find((t) => t.needsConfigs !== undefined)!;
    expect(text).toContain(`${needs.family}: needs ${needs.needsConfigs} configs`);
    expect(text).not.toMatch(/, has \d/);
    // JSON keeps the whole note.
    expect(needs.note).toBe(`needs ${needs.needsConfigs} configs, has 3`);
  });
});

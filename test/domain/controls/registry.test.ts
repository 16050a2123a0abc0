// The registry of control modules: the catalog, the findings and the panel are built from it, so
// every control and finding id has exactly one module, in wizard order.
import {describe, expect, it} from 'vitest';
import {CONTROL_IDS, STEP_IDS} from '../../../source/domain/catalog-types.js';
import {CONTROLS} from '../../../source/domain/catalog.js';
import {FINDING_IDS, REGISTRY} from '../../../source/domain/controls/index.js';

describe('the control registry', () => {
  it('holds every catalog control once, in wizard order', () => {
    const ids = REGISTRY.flatMap((control) => control.catalog.map((entry) => entry.id));
    expect(ids).toEqual([...CONTROL_IDS]);
    expect(CONTROLS.map((control) => control.id)).toEqual([...CONTROL_IDS]);
  });

  it('lists its modules in step order, each entry on its module\'s step', () => {
    const steps = REGISTRY.map((control) => STEP_IDS.indexOf(control.step));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    for (const control of REGISTRY) for (const entry of control.catalog) expect(entry.step).toBe(control.step);
  });

  it('gives every finding id one owner', () => {
    expect(new Set(FINDING_IDS).size).toBe(FINDING_IDS.length);
  });
});

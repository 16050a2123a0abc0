// The profile as AWS sees it (tandem:profile tag, template, StackSet description): its name, never
// the folder it lives in on the operator's machine.
import {describe, expect, it} from 'vitest';
import {profileLabel} from '../../source/domain/export-cloudformation.js';

describe('profileLabel', () => {
  it("is a profile file's base name without .yaml, whatever folder it is in", () => {
    expect(profileLabel('/home/ana/profiles/fleet.yaml', 'file')).toBe('fleet');
    expect(profileLabel('./web.yml', 'file')).toBe('web');
    expect(profileLabel('C:\\Users\\ana\\shop.YAML', 'file')).toBe('shop');
  });

  it('is a saved profile its name, with no path separator ever', () => {
    expect(profileLabel('shop', 'saved')).toBe('shop');
    expect(profileLabel('a/b\\c', 'saved')).not.toMatch(/[\\/]/);
  });
});

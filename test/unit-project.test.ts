// The unit project (`npm run test:unit`) starts no local AWS endpoint. A test that needs one but
// was not listed for the system project in vitest.config.ts must fail, saying where to list it,
// rather than send its calls nowhere or be skipped.
import {describe, expect, it} from 'vitest';
import {motoEndpoint, testSettings} from './support/aws.js';

describe('the unit project', () => {
  it('refuses to hand out the moto endpoint it never started, naming the test and the list to put it in', () => {
    expect(() => motoEndpoint()).toThrow(/test\/unit-project\.test\.ts needs the local AWS endpoint \(moto\).*SYSTEM_FILES in vitest\.config\.ts/);
  });

  it('refuses SDK settings aimed at that endpoint too', () => {
    expect(() => testSettings()).toThrow(/needs the local AWS endpoint \(moto\)/);
  });
});

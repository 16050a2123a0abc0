import {describe, expect, it} from 'vitest';
import {HELP} from '../source/help.js';
import {OPTIONS} from '../source/argv.js';

const usageLine = (command: string) => HELP.split('\n').find((line) => line.includes(`$ tandem ${command} `)) ?? '';

describe('--help', () => {
  it('lists every flag parseArgv accepts', () => {
    for (const flag of Object.keys(OPTIONS)) expect(HELP, flag).toContain(`--${flag}`);
  });

  it('shows --keep on launch and --output json on verify and destroy', () => {
    expect(usageLine('launch')).toContain('--keep');
    expect(usageLine('verify')).toContain('--output json');
    expect(usageLine('destroy')).toContain('--output json');
  });
});

import {describe, expect, it} from 'vitest';
import {HELP} from '../source/help.js';
import {OPTIONS} from '../source/argv.js';
import {EXIT} from '../source/exit.js';

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

  it('lists every exit code tandem uses, the signal stops 130, 143 and 129 among them', () => {
    const codes = HELP.slice(HELP.indexOf('Exit codes'));
    for (const code of Object.values(EXIT)) expect(codes, String(code)).toMatch(new RegExp(`(^|[ /·])${code}( |$)`, 'm'));
    expect(codes).toContain('130 / 143 / 129 stopped by SIGINT (Ctrl+C) / SIGTERM');
  });
});

import {describe, expect, it} from 'vitest';
import {parseArgv} from '../source/argv.js';
import {UsageError} from '../source/exit.js';

describe('parseArgv', () => {
  it('defaults to the guided launch with secure, prompt-keeping flags', () => {
    const parsed = parseArgv([], {});
    expect(parsed.command).toBe('launch');
    expect(parsed.args).toEqual([]);
    expect(parsed.flags).toMatchObject({yes: false, dryRun: false, force: false, keep: false, color: true});
  });

  it('reads AWS CLI style flags around the command and its arguments', () => {
    const parsed = parseArgv(['launch', 'web', '--yes', '--output', 'json', '--region', 'eu-west-1', '--endpoint-url=http://127.0.0.1:5000', '--dry-run', '--profile', 'ops'], {});
    expect(parsed.command).toBe('launch');
    expect(parsed.args).toEqual(['web']);
    expect(parsed.flags).toMatchObject({yes: true, output: 'json', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000', dryRun: true, profile: 'ops'});
    expect(parseArgv(['destroy', 'l-1', '-y'], {}).flags.yes).toBe(true);
  });

  it('refuses a malformed --endpoint-url at once (exit 2) with a sentence saying what a URL looks like', () => {
    for (const bad of ['notaurl', 'ftp://127.0.0.1:5000', '127.0.0.1:5000']) {
      const attempt = () => parseArgv(['destroy', 'l-1', '--endpoint-url', bad], {});
      expect(attempt).toThrow(UsageError);
      expect(attempt).toThrow(/^--endpoint-url: "[^"]+" is not (a|an http or https) URL; an endpoint URL looks like https:\/\/ec2\.us-east-1\.amazonaws\.com or http:\/\/127\.0\.0\.1:5000$/);
    }
    expect(parseArgv(['--endpoint-url', 'https://ec2.eu-west-1.amazonaws.com'], {}).flags.endpointUrl).toBe('https://ec2.eu-west-1.amazonaws.com');
  });

  it('turns colour off with --no-color or NO_COLOR', () => {
    expect(parseArgv(['--no-color'], {}).flags.color).toBe(false);
    expect(parseArgv([], {NO_COLOR: '1'}).flags.color).toBe(false);
  });

  it('answers --help and --version', () => {
    expect(parseArgv(['--help'], {}).help).toBe(true);
    expect(parseArgv(['-h'], {}).help).toBe(true);
    expect(parseArgv(['--version'], {}).version).toBe(true);
  });

  it('refuses unknown flags and missing values as usage errors naming the flag', () => {
    expect(() => parseArgv(['--bogus'], {})).toThrow(UsageError);
    expect(() => parseArgv(['--bogus'], {})).toThrow(/--bogus/);
    expect(() => parseArgv(['explain', '--region'], {})).toThrow(/--region/);
    expect(() => parseArgv(['explain', '--region='], {})).toThrow(/--region needs a value/);
  });

  it('reads the fleet flags as given, for the fleet commands to check', () => {
    const parsed = parseArgv(['fleet', 'deploy', 'web', '--regions', 'us-east-1,eu-west-1', '--accounts=111111111111', '--max-concurrent', '2', '--failure-tolerance', '1'], {});
    expect(parsed.command).toBe('fleet');
    expect(parsed.args).toEqual(['deploy', 'web']);
    expect(parsed.flags).toMatchObject({regions: 'us-east-1,eu-west-1', accounts: '111111111111', maxConcurrent: '2', failureTolerance: '1'});
    expect(parseArgv(['fleet', 'deploy', 'web', '--org-units', 'ou-ab12-cd34ef56'], {}).flags.orgUnits).toBe('ou-ab12-cd34ef56');
  });
});

// The exported shell script refuses the same `ssh: me` answers tandem refuses: an address checkip
// gives from a non-global range (private, shared, loopback, documentation...) is never used as
// the /32 SSH is opened to. The check is generated from tandem's own table of ranges.
import {execFileSync, spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cidrOrThrow, formatAddress} from '../../source/domain/cidr.js';
import {cliScript, specialRangeCheck} from '../../source/domain/export-cli.js';
import {SSH_ME} from '../../source/domain/my-address.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {nonGlobalRange, SPECIAL_RANGES, specialRangeText} from '../../source/domain/special-addresses.js';

/** What tandem says of each address: the range text, or undefined for a global address. */
function tandemSays(address: string): string | undefined {
  const range = nonGlobalRange(cidrOrThrow(`${address}/32`));
  return range ? specialRangeText(range) : undefined;
}

/** What the generated function says of each address, in one bash run: the range text, or undefined. */
function scriptSays(addresses: string[]): Array<string | undefined> {
  const program = [...specialRangeCheck(), 'for address in "$@"; do if out="$(special_range "$address")"; then echo "special $out"; else echo global; fi; done'].join('\n');
  const lines = execFileSync('bash', ['-c', program, 'check', ...addresses], {encoding: 'utf8'})
    .trimEnd()
    .split('\n');
  return lines.map((line) => (line === 'global' ? undefined : line.replace(/^special /, '')));
}

describe('the exported script refuses every non-global IPv4 range tandem refuses', () => {
  it('the first and last address of every IPv4 range, and addresses just outside them, are judged as tandem judges them', () => {
    const addresses = new Set<string>();
    for (const entry of SPECIAL_RANGES) {
      const cidr = cidrOrThrow(entry.range);
      if (cidr.version !== 4) continue;
      const last = cidr.network + (1n << BigInt(32 - cidr.prefix)) - 1n;
      for (const value of [cidr.network - 1n, cidr.network, last, last + 1n]) if (value >= 0n && value < 1n << 32n) addresses.add(formatAddress(4, value));
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '52.94.76.10', '100.63.255.255', '100.128.0.0', '172.32.0.1', '223.255.255.255']) addresses.add(address);
    const list = [...addresses];
    expect(scriptSays(list)).toEqual(list.map(tandemSays));
    // Some of them really are global, and some really refused.
    expect(list.map(tandemSays).filter((said) => said === undefined).length).toBeGreaterThan(5);
  });

  it('a sample of random addresses is judged as tandem judges it', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const list = Array.from({length: 300}, () => formatAddress(4, (BigInt(next()) << 1n) | BigInt(next() & 1)));
    expect(scriptSays(list)).toEqual(list.map(tandemSays));
  });

  it('the script for ssh: me stops with exit 2 on a private answer from checkip, and uses a global one', () => {
    const base = defaultSpec('us-east-1');
    const script = cliScript({...base, securityGroup: {...base.securityGroup, ssh: SSH_ME}}, {profile: 'web'});
    const lines = script.split('\n');
    const from = lines.findIndex((line) => line.startsWith('MY_ADDRESS='));
    const to = lines.findIndex((line) => line.startsWith('MY_CIDR='));
    expect(from).toBeGreaterThan(-1);
    expect(to).toBeGreaterThan(from);
    const section = [...lines.slice(from, to + 1), 'echo "MY_CIDR=$MY_CIDR"'].join('\n');
    const bin = mkdtempSync(path.join(tmpdir(), 'tandem-curl-'));
    const run = (answer: string) => {
      writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\necho '${answer}'\n`);
      chmodSync(path.join(bin, 'curl'), 0o755);
      return spawnSync('bash', ['-c', section], {encoding: 'utf8', env: {...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`}});
    };
    const refused = run('10.1.2.3');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('checkip answered 10.1.2.3, which is a private address (10.0.0.0/8)');
    expect(refused.stdout).toBe('');
    expect(run('100.64.7.8').status).toBe(2);
    expect(run('300.1.2.3').status).toBe(2);
    const used = run('52.94.76.10');
    expect(used.status, used.stderr).toBe(0);
    expect(used.stdout).toBe('MY_CIDR=52.94.76.10/32\n');
  });
});

import {describe, expect, it} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {UsageError} from '../../source/exit.js';
import {MAX_PROFILE_BYTES, PROFILE_HEADER, ProfileFileError, parseProfileText, serializeProfile} from '../../source/store/profile-file.js';

const FILE = 'web.yaml';

/** The problem lines a bad profile produces. */
function problems(text: string): string[] {
  try {
    parseProfileText(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileFileError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as ProfileFileError).problems;
  }
  throw new Error('expected the profile to be rejected');
}

const FULL = `version: 1
region: us-east-1
instance: {name: web-1, image: al2023, arch: x86_64, type: t3.micro, tenancy: default, imds: required, userData: httpd}
network: {vpc: default, subnet: default, publicIp: true}
role: {mode: create, name: EC2AccessToS3Role, bucket: my-site-assets, access: read}
storage: {sizeGiB: 8, type: gp3, encrypted: true, kmsKey: aws/ebs}
securityGroup: {mode: create, name: web-sg, http: 0.0.0.0/0, https: false, ssh: 203.0.113.7/32}
keyPair: {mode: create, name: web-key, type: ed25519, path: ~/.ssh/web-key.pem}
acceptedRisks: [{finding: http-open-to-internet, reason: public web server}]
tags: {owner: ops}
`;

describe('parseProfileText: good profiles', () => {
  it('reads a profile that sets every section', () => {
    const spec = parseProfileText(FULL, FILE);
    expect(spec.role).toEqual({mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'});
    expect(spec.securityGroup.ssh).toBe('203.0.113.7/32');
    expect(spec.acceptedRisks).toEqual([{finding: 'http-open-to-internet', reason: 'public web server'}]);
    expect(spec.instance.hopLimit).toBe(1);
  });

  it('fills a short profile from the secure defaults', () => {
    expect(parseProfileText('version: 1\n', FILE)).toEqual(defaultSpec());
    const spec = parseProfileText('version: 1\nregion: eu-west-1\ninstance: {type: t3.small}\n', FILE);
    expect(spec.region).toBe('eu-west-1');
    expect(spec.instance).toEqual({...defaultSpec().instance, type: 't3.small'});
  });

  it('reads the ways in, filling a half-given access from the defaults, and names a bad one', () => {
    const spec = parseProfileText('version: 1\naccess: {instanceConnect: true}\n', FILE);
    expect(spec.access).toEqual({...defaultSpec().access, instanceConnect: true});
    expect(parseProfileText('version: 1\naccess: {sessionManager: false, instanceConnect: false}\n', FILE).access).toEqual({sessionManager: false, instanceConnect: false});
    expect(problems('version: 1\naccess: {sessionManager: yes please}\n').join('\n')).toMatch(/access\.sessionManager/);
    expect(problems('version: 1\naccess: {ssm: true}\n').join('\n')).toMatch(/access\.ssm: unknown field; allowed here: sessionManager, instanceConnect/);
  });

  it('places a new VPC instance in the public subnet and gives a created role read access by default', () => {
    const spec = parseProfileText('version: 1\nnetwork: {vpc: new}\nrole: {mode: create, bucket: my-site-assets}\n', FILE);
    expect(spec.network.subnet).toBe('public');
    expect(spec.role.access).toBe('read');
  });

  it('round-trips through serializeProfile with a header comment', () => {
    const spec = parseProfileText(FULL, FILE);
    const text = serializeProfile(spec, 'profile: web');
    expect(text.startsWith(`# ${PROFILE_HEADER}\n# profile: web\n`)).toBe(true);
    expect(parseProfileText(text, FILE)).toEqual(spec);
    expect(text).not.toContain('null');
  });
});

describe('parseProfileText: bad input', () => {
  it('an empty file, or only comments', () => {
    expect(problems('')).toEqual([`${FILE}:1:1 the file is empty; a profile needs at least \`version: 1\``]);
    expect(problems('# nothing\n\n')[0]).toMatch(/empty/);
  });

  it('text that is not YAML, with the line', () => {
    const [first] = problems('version: 1\ninstance: {name: web\nregion: [us-east-1\n');
    expect(first).toMatch(/^web\.yaml:\d+:\d+ not valid YAML: /);
    const tabs = problems('version: 1\ninstance:\n\ttype: t3.micro\n');
    expect(tabs[0]).toMatch(/^web\.yaml:3:1 not valid YAML: Tabs/);
  });

  it('YAML that is a list or a single word', () => {
    expect(problems('- version: 1\n- region: us-east-1\n')).toEqual([`${FILE}:1:1 a profile must be a mapping of fields (version, region, instance, ...), not a list`]);
    expect(problems('hello\n')[0]).toMatch(/must be a mapping.*not string "hello"/);
  });

  it('an unknown field, at its own line and column', () => {
    const text = 'version: 1\ninstance:\n  name: web-1\n  tyep: t3.micro\n';
    expect(problems(text)).toEqual([`${FILE}:4:3 instance.tyep: unknown field; allowed here: name, image, amiId, arch, type, tenancy, imds, hopLimit, userData, detailedMonitoring`]);
    expect(problems('version: 1\naws_secret_access_key: abc\n')[0]).toMatch(/^web\.yaml:2:1 aws_secret_access_key: unknown field/);
  });

  it('a bad CIDR, at its line', () => {
    const text = 'version: 1\nsecurityGroup:\n  name: web-sg\n  ssh: 203.0.113.300/32\n';
    const [first, ...rest] = problems(text);
    expect(first).toMatch(/^web\.yaml:4:8 securityGroup\.ssh: /);
    expect(rest).toEqual([]);
  });

  it('a wrong type or word names field and line', () => {
    const text = 'version: 1\nstorage:\n  sizeGiB: big\n  type: gp9\n';
    expect(problems(text)).toEqual([`${FILE}:3:12 storage.sizeGiB: expected a number, got string "big"`, `${FILE}:4:9 storage.type: must be one of gp3, gp2, io2, not string "gp9"`]);
  });

  it('another version, or none', () => {
    expect(problems('version: 2\nregion: us-east-1\n')).toEqual([`${FILE}:1:10 version: profile version 2 is not supported by this tandem (supports 1)`]);
    expect(problems('region: us-east-1\n')).toEqual([`${FILE}:1:1 the profile has no version; add \`version: 1\` as its first line`]);
    expect(problems('version: [1]\n')).toEqual([`${FILE}:1:10 version: profile version [1] is not supported by this tandem (supports 1)`]);
    expect(problems('version: {major: 1}\n')).toEqual([`${FILE}:1:10 version: profile version {"major":1} is not supported by this tandem (supports 1)`]);
    expect(problems('version: "1"\n')).toEqual([`${FILE}:1:10 version: version must be the number 1, not the text "1"; write \`version: 1\` without quotes`]);
  });

  it('a huge file', () => {
    const text = `version: 1\ntags:\n${Array.from({length: 5000}, (_, i) => `  k${i}: ${'v'.repeat(20)}`).join('\n')}\n`;
    expect(text.length).toBeGreaterThan(MAX_PROFILE_BYTES);
    expect(problems(text)).toEqual([`${FILE}:1:1 the file is larger than 64 KiB; a profile is a short YAML file, is this the right file?`]);
  });

  it('deep nesting, in flow and block style', () => {
    expect(problems(`version: 1\ntags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)[0]).toMatch(/^web\.yaml:2:\d+ nested more than 16 levels deep/);
    expect(problems(`version: 1\ntags: ${'? '.repeat(2000)}x\n`)[0]).toMatch(/^web\.yaml:2:\d+ nested too deeply on one line/);
    expect(problems(`version: 1\ntags:\n${'- '.repeat(3000)}x\n`)[0]).toMatch(/^web\.yaml:3:\d+ nested too deeply on one line/);
    const block = Array.from({length: 40}, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    expect(problems(`version: 1\n${block} 1\n`)).toEqual([`${FILE}:1:1 nested more than 16 levels deep; a profile needs four at most`]);
  });

  it('an alias bomb', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problems(`version: 1\ntags:\n${levels.map((line) => `  ${line}`).join('\n')}\n`)).toEqual([
      `${FILE}:1:1 YAML aliases expand too far (a possible alias bomb); write the values out`,
    ]);
  });

  it('a value holding a private key, or an access key id', () => {
    const text = 'version: 1\ntags:\n  note: "-----BEGIN OPENSSH PRIVATE KEY----- abc"\n';
    expect(problems(text)).toEqual([`${FILE}:3:9 tags.note: looks like private key material; a profile never holds keys, point keyPair.path at the key file instead`]);
    expect(problems('version: 1\ntags: {k: AKIAIOSFODNN7EXAMPLE}\n')[0]).toMatch(/^web\.yaml:2:\d+ tags\.k: looks like an AWS access key id/);
  });

  it('one bracket typo is one message, at the typo, not a cascade of echoes', () => {
    expect(problems('version: 1\ninstance: {type: t3.micro}}\nregion: us-east-1\n')).toEqual([`${FILE}:2:27 not valid YAML: Unexpected flow-map-end token in YAML stream: "}"`]);
    expect(problems('version: 1\ntags: [a, b]]\nregion: us-east-1\ninstance: {type: t3.micro}\n')).toHaveLength(1);
  });

  it('duplicate keys and several documents are YAML errors', () => {
    expect(problems('version: 1\nversion: 1\n')[0]).toMatch(/^web\.yaml:2:1 not valid YAML: Map keys must be unique/);
    expect(problems('version: 1\n---\nversion: 1\n')[0]).toMatch(/^web\.yaml:2:1 not valid YAML:/);
  });

  it('reports every semantic problem at once', () => {
    const text = 'version: 1\nregion: mars-1\ninstance:\n  type: nope\n';
    const lines = problems(text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^web\.yaml:2:9 region: /);
    expect(lines[1]).toMatch(/^web\.yaml:4:9 instance\.type: /);
  });

  it('a problem with a defaulted field points at the nearest part of the file', () => {
    // role.bucket is missing, so the message points at the role mapping itself.
    expect(problems('version: 1\nrole:\n  mode: create\n')[0]).toMatch(/^web\.yaml:3:3 role\.bucket: /);
  });
});

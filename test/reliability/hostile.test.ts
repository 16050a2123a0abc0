// Hostile and broken input, one test each, through the built CLI so exit codes, stderr and files
// are exactly what a user gets: a clear one-line message naming what is wrong, the right exit
// code, no stack trace, no half-written files, and text from AWS shown inert (never raw ESC/BEL).
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {AuthorizeSecurityGroupIngressCommand, CreateTagsCommand} from '@aws-sdk/client-ec2';
import {afterAll, describe, expect, it} from 'vitest';
import {createJournal} from '../../source/store/journal.js';
import type {LaunchRecord} from '../../source/store/journal-types.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {everythingSpec, leftoversOf, openWorld, runCli, STACK_LINE, strayTempFiles, writeProfile, type World} from './support.js';

let tried = 0;
afterAll(() => console.log(`hostile input suite: ${tried} bad inputs tried`));

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

interface Expectation {
  code: number;
  stderr: RegExp;
}

/** Runs the CLI and checks what every bad input must get: code, message, no stack, no stray files. */
async function expectRefusal(world: World, args: string[], expected: Expectation, env: NodeJS.ProcessEnv = {}) {
  tried += 1;
  const run = await runCli(args, {...world.env, ...env}, 90_000);
  expect(run.code, run.stderr).toBe(expected.code);
  expect(run.stderr).toMatch(expected.stderr);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stderr + run.stdout).not.toMatch(RAW_CONTROL);
  expect(strayTempFiles(world.keyDir, path.join(world.home, 'launches'))).toEqual([]);
  return run;
}

function profileWith(world: World, change: (spec: LaunchSpec) => void): string {
  const spec = everythingSpec(world.keyDir);
  change(spec);
  return writeProfile(world.home, spec, `p-${tried}-${Math.random().toString(16).slice(2)}.yaml`);
}

/** Nothing started: no journal, no key file. */
function nothingStarted(world: World) {
  const launches = path.join(world.home, 'launches');
  expect(existsSync(launches) ? readdirSync(launches) : []).toEqual([]);
  expect(readdirSync(world.keyDir)).toEqual([]);
}

const launch = (file: string, ...extra: string[]) => ['launch', file, '--yes', '--output', 'json', ...extra];

describe.concurrent('bad values in a profile: exit 2, the field named, nothing started', () => {
  const cases: Array<[string, (spec: LaunchSpec) => void, RegExp]> = [
    ['CIDR with a /33 prefix', (s) => (s.network.cidr = '10.0.0.0/33'), /network\.cidr/],
    ['CIDR with an octet over 255', (s) => (s.network.cidr = '10.300.0.0/16'), /network\.cidr/],
    ['CIDR that is not one', (s) => (s.network.cidr = 'ten-dot-zero'), /network\.cidr/],
    ['SSH source with a /40 prefix', (s) => (s.securityGroup.ssh = '203.0.113.7/40'), /securityGroup\.ssh/],
    ['HTTP source that is not a CIDR', (s) => (s.securityGroup.http = '0.0.0.0/0; rm -rf /'), /securityGroup\.http/],
    ['IPv6 garbage as SSH source', (s) => (s.securityGroup.ssh = '::g/128'), /securityGroup\.ssh/],
    ['volume size 0 GiB', (s) => (s.storage.sizeGiB = 0), /storage\.sizeGiB/],
    ['volume size beyond 16 TiB', (s) => (s.storage.sizeGiB = 70000), /storage\.sizeGiB/],
    ['IMDS hop limit 0', (s) => (s.instance.hopLimit = 0), /instance\.hopLimit/],
    ['IMDS hop limit 65', (s) => (s.instance.hopLimit = 65), /instance\.hopLimit/],
    ['instance name of 300 characters', (s) => (s.instance.name = 'w'.repeat(300)), /instance\.name/],
    ['instance name with an escape sequence', (s) => (s.instance.name = 'web\u001b[31m'), /instance\.name/],
    ['security group name starting sg-', (s) => (s.securityGroup.name = 'sg-web'), /securityGroup\.name/],
    ['security group name of 300 characters', (s) => (s.securityGroup.name = 'g'.repeat(300)), /securityGroup\.name/],
    ['role name with spaces and !', (s) => (s.role.name = 'my role!'), /role\.name/],
    ['role name of 65 characters', (s) => (s.role.name = 'R'.repeat(65)), /role\.name/],
    ['key pair name of 256 characters', (s) => (s.keyPair.name = 'k'.repeat(256)), /keyPair\.name/],
    ['bucket name with capitals and a slash', (s) => (s.role.bucket = 'My/Bucket'), /role\.bucket/],
    ['unknown region in the profile', (s) => (s.region = 'mars-north-9'), /region/],
  ];
  it.each(cases)('%s', async (_label, change, field) => {
    const world = await openWorld();
    try {
      await expectRefusal(world, launch(profileWith(world, change)), {code: 2, stderr: field});
      nothingStarted(world);
    } finally {
      await world.close();
    }
  });
});

describe.concurrent('broken profile files: exit 2 with FILE:LINE', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty file', '', /empty/],
    ['not YAML at all', '\u0000\u0001binary\u00ff: : [ {', /p\.yaml:\d+/],
    ['a YAML list instead of a mapping', '- 1\n- 2\n', /p\.yaml:\d+/],
    ['deeply nested flow', `version: 1\ntags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /p\.yaml:\d+/],
    ['deeply nested block', `version: 1\ntags:\n${Array.from({length: 400}, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`, /p\.yaml:\d+/],
    [
      'alias bomb',
      `version: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      /p\.yaml:\d+/,
    ],
    ['huge file', `version: 1\n# ${'x'.repeat(200_000)}\n`, /p\.yaml/],
    ['future version', 'version: 99\n', /version/],
    ['no version', 'region: us-east-1\n', /version/],
    ['unknown field', 'version: 1\nsurprise: true\n', /surprise/],
    ['unknown nested field', 'version: 1\ninstance: {name: web, colour: red}\n', /instance\.colour/],
    ['an access key id in the profile', 'version: 1\ntags: {owner: AKIAIOSFODNN7EXAMPLE}\n', /p\.yaml:\d+.*access key/],
    ['a private key pasted into a tag', 'version: 1\ntags: {note: "-----BEGIN OPENSSH PRIVATE KEY-----"}\n', /p\.yaml:\d+.*private key/],
  ];
  it.each(cases)('%s', async (_label, text, message) => {
    const world = await openWorld();
    try {
      const file = path.join(world.home, 'p.yaml');
      writeFileSync(file, text);
      await expectRefusal(world, launch(file), {code: 2, stderr: message});
      nothingStarted(world);
    } finally {
      await world.close();
    }
  });

  it('a profile path that does not exist', async () => {
    const world = await openWorld();
    try {
      await expectRefusal(world, launch(path.join(world.home, 'missing.yaml')), {code: 2, stderr: /missing\.yaml/});
    } finally {
      await world.close();
    }
  });
});

describe.concurrent('the private key path, checked before anything is created', () => {
  it('exists already', async () => {
    const world = await openWorld();
    try {
      const file = profileWith(world, () => undefined);
      writeFileSync(path.join(world.keyDir, 'web-key.pem'), 'an older key\n', {mode: 0o600});
      await expectRefusal(world, launch(file), {code: 2, stderr: /keyPair\.path: .*already exists/});
      expect(readFileSync(path.join(world.keyDir, 'web-key.pem'), 'utf8')).toBe('an older key\n');
      expect(world.proxy.count('CreateKeyPair')).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('is a directory', async () => {
    const world = await openWorld();
    try {
      const file = profileWith(world, (s) => (s.keyPair.path = world.keyDir));
      await expectRefusal(world, launch(file), {code: 2, stderr: /keyPair\.path: .*is a directory/});
      expect(world.proxy.requests.length).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('cannot be written (its folder is a file)', async () => {
    // Tests may run as root, which ignores permission bits; a file in the way fails for everyone.
    const world = await openWorld();
    try {
      writeFileSync(path.join(world.keyDir, 'not-a-folder'), '');
      const file = profileWith(world, (s) => (s.keyPair.path = path.join(world.keyDir, 'not-a-folder', 'sub', 'k.pem')));
      await expectRefusal(world, launch(file), {code: 2, stderr: /keyPair\.path: cannot create .*not-a-folder is a file/});
      expect(world.proxy.requests.length).toBe(0);
    } finally {
      await world.close();
    }
  });
});

describe.concurrent('TANDEM_HOME', () => {
  it('is a file, not a folder', async () => {
    const world = await openWorld();
    try {
      const home = path.join(world.keyDir, 'home-file');
      writeFileSync(home, 'not a folder');
      const file = profileWith(world, () => undefined);
      await expectRefusal(world, launch(file), {code: 2, stderr: /launch journals cannot be kept in .*home-file.*ENOTDIR.*TANDEM_HOME/}, {TANDEM_HOME: home});
      expect(world.proxy.count('CreateVpc')).toBe(0);
    } finally {
      await world.close();
    }
  });

  // Tests may run as root, which ignores permission bits: use places no one can write to.
  it.each([['/sys/tandem-home'], ['/proc/tandem-home']])('cannot be created (%s)', async (home) => {
    const world = await openWorld();
    try {
      const file = profileWith(world, () => undefined);
      await expectRefusal(world, launch(file), {code: 2, stderr: /launch journals cannot be kept in .*TANDEM_HOME/}, {TANDEM_HOME: home});
      expect(world.proxy.requests.length).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('holds a corrupted journal: destroy and verify say so, launches lists it as unreadable', async () => {
    const world = await openWorld();
    try {
      const launches = path.join(world.home, 'launches');
      mkdirSync(launches, {recursive: true});
      const id = 'l-20260101t000000-abcdef';
      writeFileSync(path.join(launches, `${id}.json`), '{"launchId": "l-2026', {mode: 0o600});
      await expectRefusal(world, ['destroy', id, '--yes'], {code: 2, stderr: /not readable JSON/});
      await expectRefusal(world, ['verify', id], {code: 2, stderr: /not readable JSON/});
      const listed = await runCli(['launches', '--output', 'json'], world.env);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([{launchId: id, status: 'unreadable', journal: path.join(launches, `${id}.json`), problem: 'is not a launch record (damaged or not JSON)'}]);
    } finally {
      await world.close();
    }
  });

  it('a launch id that tries to leave the folder', async () => {
    const world = await openWorld();
    try {
      await expectRefusal(world, ['destroy', '../../etc/passwd', '--yes'], {code: 2, stderr: /not a launch id/});
    } finally {
      await world.close();
    }
  });
});

describe.concurrent('region and credentials', () => {
  it('an unknown region from --region is refused before any call', async () => {
    const world = await openWorld();
    try {
      const file = profileWith(world, () => undefined);
      await expectRefusal(world, launch(file, '--region', 'mars-north-9'), {code: 2, stderr: /region: .*mars-north-9/});
      expect(world.proxy.requests.length).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('no credentials anywhere', async () => {
    const world = await openWorld();
    try {
      const file = profileWith(world, () => undefined);
      await expectRefusal(
        world,
        launch(file),
        {code: 2, stderr: /no AWS credentials found/},
        {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SESSION_TOKEN: undefined,
        },
      );
      expect(world.proxy.requests.length).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('expired credentials (moto accepts anything, so the proxy answers ExpiredToken)', async () => {
    const world = await openWorld();
    try {
      for (const action of ['GetCallerIdentity', 'CreateVpc', 'CreateRole', 'CreateKey', 'GetParameter']) {
        world.proxy.add({action, kind: 'error', status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired'});
      }
      const file = profileWith(world, () => undefined);
      await expectRefusal(world, launch(file), {code: 2, stderr: /credentials have expired/});
      nothingStarted(world);
      expect(world.proxy.count('CreateVpc')).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('credentials AWS does not recognise', async () => {
    const world = await openWorld();
    try {
      world.proxy.add({action: 'GetCallerIdentity', kind: 'error', status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.'});
      const file = profileWith(world, () => undefined);
      await expectRefusal(world, launch(file), {code: 2, stderr: /does not accept these credentials \(InvalidClientTokenId\)/});
      nothingStarted(world);
    } finally {
      await world.close();
    }
  });

  it('AccessDenied on one call in the middle: rolled back, the action named, AWS text inert', async () => {
    const world = await openWorld();
    try {
      // Only the instance role's policy: the flow logs' role has a PutRolePolicy of its own.
      world.proxy.add({
        action: 'PutRolePolicy',
        bodyIncludes: 'PolicyName=tandem-s3',
        kind: 'error',
        status: 403,
        code: 'AccessDenied',
        message: 'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: iam:PutRolePolicy \u001b[2J\u0007',
      });
      const spec = everythingSpec(world.keyDir);
      const file = writeProfile(world.home, spec);
      const run = await expectRefusal(world, ['launch', file, '--yes'], {code: 1, stderr: /iam-role-policy \(PutRolePolicy\) failed: AccessDenied: .*iam:PutRolePolicy \\x1b\[2J\\x07/});
      expect(run.stdout).toMatch(/failed\. Removed \d+ resources it created and scheduled the deletion of its KMS key/);
      const [record] = createJournal(world.home).list();
      expect(record?.status).toBe('rolled-back');
      expect(await leftoversOf(world.check, record.launchId, spec)).toEqual([]);
    } finally {
      await world.close();
    }
  });
});

describe('strings from AWS with terminal escapes', () => {
  it('are shown inert by verify, launches and destroy', async () => {
    const world = await openWorld();
    try {
      const spec = everythingSpec(world.keyDir, 'web-esc');
      const launched = await runCli(launch(writeProfile(world.home, spec)), world.env);
      expect(launched.code, launched.stderr).toBe(0);
      const summary = launched.events.at(-1)!;
      const launchId = String(summary.launchId);
      const instanceId = String(summary.instanceId);
      const record = createJournal(world.home).read(launchId);
      const groupId = record.resolved.securityGroupId!;
      // Someone with access to the account plants escapes where tandem reads them back.
      tried += 3;
      await world.check.ec2.send(new CreateTagsCommand({Resources: [instanceId, groupId], Tags: [{Key: 'Name', Value: 'x\u001b[31mred\u0007\u009b2J'}]}));
      await world.check.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0', Description: '\u001b]0;owned\u0007 \u001b[8mhidden'}]}],
        }),
      );
      const verified = await runCli(['verify', launchId], world.env);
      expect(verified.code, verified.stderr).toBe(3); // SSH open to the world now fails EC2.13
      expect(verified.stdout + verified.stderr).not.toMatch(RAW_CONTROL);
      expect(verified.stderr).not.toMatch(STACK_LINE);
      const verifiedJson = await runCli(['verify', launchId, '--output', 'json'], world.env);
      expect(verifiedJson.code).toBe(3);
      expect(verifiedJson.stdout).not.toMatch(RAW_CONTROL);

      // A journal edited by hand (or by malware) with escapes in names and ids.
      tried += 1;
      const file = path.join(world.home, 'launches', `${launchId}.json`);
      const edited = JSON.parse(readFileSync(file, 'utf8')) as LaunchRecord;
      edited.spec.instance.name = 'evil\u001b[2J\u001b[H';
      edited.resources.push({kind: 'security-group', id: 'sg-\u001b[31mfake', stepId: 'security-group', region: 'us-east-1'});
      edited.region = 'us-east-1';
      writeFileSync(file, JSON.stringify(edited));
      chmodSync(file, 0o600);
      const listed = await runCli(['launches'], world.env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('evil\\x1b[2J\\x1b[H');
      expect(listed.stdout + listed.stderr).not.toMatch(RAW_CONTROL);
      const destroyed = await runCli(['destroy', launchId, '--yes'], world.env);
      expect(destroyed.stdout + destroyed.stderr).not.toMatch(RAW_CONTROL);
      expect(destroyed.stderr).not.toMatch(STACK_LINE);
      expect(await leftoversOf(world.check, launchId, spec)).toEqual([]);
    } finally {
      await world.close();
    }
  }, 120_000);
});

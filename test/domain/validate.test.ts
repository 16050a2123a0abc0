import {describe, expect, it} from 'vitest';
import {bucketNameProblem} from '../../source/domain/controls/role.js';
import {VALIDATED_FIELDS, validateField, validateSpec, validationWarnings} from '../../source/domain/validate.js';
import {archForInstanceType, isBurstable, parseInstanceType} from '../../source/domain/instance-types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {allCreateSpec, existingSpec} from './plan-fixtures.js';

const base = defaultSpec();
const created = allCreateSpec();
const existing = existingSpec();

/** Expect every good value to pass and every bad value to fail with a message matching `pattern`. */
function check(field: string, spec: LaunchSpec, good: unknown[], bad: Array<[unknown, RegExp | string]>): void {
  for (const value of good) expect(validateField(field, value, spec), `${field}=${JSON.stringify(value)}`).toBeUndefined();
  for (const [value, pattern] of bad) {
    const message = validateField(field, value, spec);
    expect(message, `${field}=${JSON.stringify(value)}`).toBeDefined();
    if (typeof pattern === 'string') expect(message).toBe(pattern);
    else expect(message).toMatch(pattern);
    // One sentence that ends with a full stop or a question.
    expect(message).toMatch(/[.?]$/);
  }
}

function withSpec(change: (spec: LaunchSpec) => void, from: LaunchSpec = base): LaunchSpec {
  const spec = structuredClone(from);
  change(spec);
  return spec;
}

describe('validateSpec', () => {
  it('accepts the default, all-create and existing-resources specs', () => {
    expect(validateSpec(base)).toEqual([]);
    expect(validateSpec(created)).toEqual([]);
    expect(validateSpec(existing)).toEqual([]);
  });

  it('lists every problem with its field', () => {
    const spec = withSpec((s) => {
      s.region = 'useast1';
      s.instance.type = 't4g.micro';
      s.securityGroup.ssh = '203.0.113.7';
    });
    expect(validateSpec(spec).map((p) => p.field)).toEqual(['region', 'instance.type', 'securityGroup.ssh']);
  });

  it('knows every field of the spec', () => {
    expect(VALIDATED_FIELDS).toContain('keyPair.path');
    expect(validateField('instance.colour', 'blue', base)).toBe("'instance.colour' is not a launch setting tandem knows.");
  });
});

describe('validateField: general', () => {
  it('version and region', () => {
    check('version', base, [1], [[2, /version: 1/]]);
    check(
      'region',
      base,
      ['us-east-1', 'eu-central-2', 'ap-southeast-1', 'us-gov-west-1', 'cn-north-1', 'il-central-1', 'mx-central-1', 'ca-west-1', 'eusc-de-east-1'],
      [
        ['useast1', "Region 'useast1' is not an AWS region name; expected something like us-east-1, eu-central-2 or ap-southeast-1."],
        ['us-east', /not an AWS region/],
        ['US-EAST-1', /not an AWS region/],
        ['', /not an AWS region/],
        [undefined, /not an AWS region/],
      ],
    );
  });
});

describe('validateField: instance', () => {
  it('name', () => {
    check(
      'instance.name',
      base,
      ['web-1', 'x', 'a'.repeat(255), 'Web server (prod) ünïcode'],
      [
        ['', /required/],
        ['a'.repeat(256), /256 characters long; a Name tag holds at most 255/],
        ['web\n1', /control character/],
        ['tab\there', /control character/],
      ],
    );
  });

  it('image and amiId', () => {
    check('instance.image', base, ['al2023', 'al2', 'ami'], [['ubuntu', "Image 'ubuntu' is not one of the choices; expected 'al2023', 'al2' or 'ami'."]]);
    const ami = withSpec((s) => (s.instance.image = 'ami'));
    check(
      'instance.amiId',
      ami,
      ['ami-12345678', 'ami-0abcdef1234567890'],
      [
        ['ami-123', /8 or 17 lowercase hex digits/],
        ['ami-0ABCDEF1234567890', /not an AMI id/],
        ['ami-1234567890', /not an AMI id/],
        ['i-12345678', /not an AMI id/],
        [undefined, /\(missing\)/],
      ],
    );
    // Ignored unless the image is an explicit AMI.
    expect(validateField('instance.amiId', 'junk', base)).toBeUndefined();
  });

  it('arch', () => {
    check('instance.arch', base, ['x86_64', 'arm64'], [['aarch64', /expected 'x86_64' or 'arm64'/]]);
  });

  it('type: pattern and architecture', () => {
    check(
      'instance.type',
      base,
      ['t3.micro', 'm5.large', 'c7i.metal-24xl', 'g4dn.xlarge', 'u-6tb1.metal', 'x2iedn.xlarge'],
      [
        ['t3micro', /expected family.size, like t3.micro/],
        ['T3.micro', /not an instance type name/],
        ['t3.', /not an instance type name/],
        ['t4g.micro', "Instance type 't4g.micro' is Graviton (arm64) but the image is x86_64; choose a type such as t3.micro or switch the image to arm64."],
        ['m7g.large', /Graviton \(arm64\)/],
        ['a1.medium', /Graviton \(arm64\)/],
        ['mac2.metal', /macOS/],
      ],
    );
    const arm = withSpec((s) => (s.instance.arch = 'arm64'));
    check(
      'instance.type',
      arm,
      ['t4g.micro', 'm7g.large', 'c7g.xlarge', 'r8g.large', 'a1.medium', 'c7gn.large', 'im4gn.large'],
      [
        ['t3.micro', /is x86_64 but the image is arm64; choose a Graviton type such as t4g.micro/],
        ['g5.xlarge', /is x86_64/],
      ],
    );
  });

  it('tenancy, imds, hop limit, user data', () => {
    check('instance.tenancy', base, ['default', 'dedicated', 'host'], [['shared', /expected 'default', 'dedicated' or 'host'/]]);
    check('instance.imds', base, ['required', 'optional'], [['v2', /expected 'required' or 'optional'/]]);
    check(
      'instance.hopLimit',
      base,
      [1, 2, 64],
      [
        [0, /1 to 64/],
        [65, /1 to 64/],
        [1.5, /whole number/],
        ['2', /whole number/],
      ],
    );
    check('instance.userData', base, ['httpd', 'none'], [['nginx', /expected 'httpd' or 'none'/]]);
  });
});

describe('validateField: network', () => {
  it('vpc', () => {
    check(
      'network.vpc',
      base,
      ['default', 'new', 'vpc-0abc1234', 'vpc-0123456789abcdef0'],
      [
        ['vpc-xyz', /expected 'default', 'new' or an existing VPC id/],
        ['existing', /not valid/],
      ],
    );
  });

  it('subnet depends on the VPC choice', () => {
    check('network.subnet', base, ['default', 'subnet-0abc1234'], [['public', /default VPC/]]);
    check('network.subnet', created, ['public', 'private'], [['default', /expected 'public' or 'private'/]]);
    check('network.subnet', existing, ['subnet-0abc1234'], [['default', /an existing VPC needs one of its subnets/]]);
  });

  it('VPC CIDR', () => {
    check(
      'network.cidr',
      created,
      ['10.0.0.0/16', '172.16.0.0/20', '192.168.0.0/27', undefined],
      [
        ['10.0.0.0/33', "Prefix /33 in '10.0.0.0/33' is out of range; an IPv4 prefix must be 0–32."],
        ['300.1.1.1/32', "Octet 300 in '300.1.1.1/32' is out of range; each octet must be 0–255."],
        ['10.0.0.1/16', "'10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?"],
        ['10.0.0.0', /has no prefix length; expected a CIDR block/],
        ['10.0.0.0/8', /is a \/8; a VPC block must be between \/16 and \/28/],
        ['10.0.0.0/29', /between \/16 and \/28/],
        ['10.0.0.0/28', /too small to split/],
        ['2001:db8::/56', /IPv6/],
        [16, /not a CIDR block/],
      ],
    );
    // Only checked for a new VPC.
    expect(validateField('network.cidr', 'junk', base)).toBeUndefined();
  });

  it('subnet CIDRs must sit inside the VPC block and not overlap', () => {
    const spec = withSpec((s) => {
      s.network.cidr = '10.20.0.0/16';
      s.network.publicSubnetCidr = '10.20.0.0/24';
    }, created);
    check(
      'network.publicSubnetCidr',
      spec,
      ['10.20.0.0/24', '10.20.8.0/21', undefined],
      [
        ['10.21.0.0/24', "The public subnet CIDR '10.21.0.0/24' lies outside the VPC block 10.20.0.0/16; choose a block inside it."],
        ['10.20.0.0/29', /between \/16 and \/28/],
        ['10.20.0.1/24', /did you mean 10.20.0.0\/24/],
        ['10.20.1.0/25', /overlaps the default private subnet 10.20.1.0\/24/],
      ],
    );
    check(
      'network.privateSubnetCidr',
      spec,
      ['10.20.1.0/24', '10.20.128.0/17'],
      [
        ['10.20.0.128/25', "The private subnet CIDR '10.20.0.128/25' overlaps the public subnet 10.20.0.0/24; the two subnets need separate blocks."],
        ['192.168.0.0/24', /outside the VPC block/],
      ],
    );
    const problems = validateSpec(withSpec((s) => (s.network.privateSubnetCidr = '10.20.0.0/25'), spec));
    expect(problems.map((p) => p.field)).toEqual(['network.privateSubnetCidr']);
  });

  it('a /28 VPC is fine when both subnet blocks are given... but two /28s cannot fit, so they overlap', () => {
    const spec = withSpec((s) => {
      s.network.cidr = '10.0.0.0/28';
      s.network.publicSubnetCidr = '10.0.0.0/28';
      s.network.privateSubnetCidr = '10.0.0.0/28';
    }, created);
    expect(validateSpec(spec).map((p) => p.field)).toEqual(['network.privateSubnetCidr']);
  });

  it('public IP is a boolean', () => {
    check('network.publicIp', base, [true, false], [['yes', /true or false/]]);
  });
});

describe('validateField: role', () => {
  it('mode, name and instance profile', () => {
    check('role.mode', base, ['none', 'existing', 'create'], [['admin', /expected 'none', 'existing' or 'create'/]]);
    check(
      'role.name',
      created,
      ['EC2AccessToS3Role', 'a', 'app+role=x,y.z@w_-1', 'r'.repeat(64), undefined],
      [
        ['r'.repeat(65), /65 characters long; the limit is 64/],
        ['my role', /letters, digits and \+=,\.@_- only/],
        ['role/path', /characters IAM does not allow/],
        ['', /required/],
      ],
    );
    check('role.name', existing, ['AppRole'], [[undefined, /required/]]);
    const noSession = {...base, access: {...base.access, sessionManager: false}};
    expect(validateField('role.name', '', noSession)).toBeUndefined();
    // With Session Manager on (the default) role.name names the role tandem makes for it.
    expect(validateField('role.name', undefined, base)).toBeUndefined();
    expect(validateField('role.name', 'my role', base)).toMatch(/letters, digits and \+=,\.@_- only/);
    check(
      'role.instanceProfile',
      existing,
      ['AppProfile', undefined, 'p'.repeat(128)],
      [
        ['p'.repeat(129), /1–128/],
        ['bad profile', /not valid/],
      ],
    );
  });

  it('bucket follows S3 naming rules', () => {
    check(
      'role.bucket',
      created,
      ['my-site-assets', 'abc', 'a.b-c.1', 'a'.repeat(63)],
      [
        ['ab', /3–63 characters/],
        ['a'.repeat(64), /3–63 characters/],
        ['My-Bucket', /lowercase letters, digits, dots and hyphens/],
        ['my_bucket', /lowercase letters/],
        ['-bucket', /start and end with a lowercase letter or digit/],
        ['bucket.', /start and end/],
        ['my..bucket', /two dots in a row/],
        ['192.168.5.4', /looks like an IP address/],
        ['xn--bucket', /starts with 'xn--'/],
        ['sthree-bucket', /reserves/],
        ['bucket-s3alias', /ends with '-s3alias'/],
        ['bucket--ol-s3', /ends with '--ol-s3'/],
        ['', /needs the S3 bucket/],
        [undefined, /needs the S3 bucket/],
      ],
    );
    expect(validateField('role.bucket', undefined, existing)).toBeUndefined();
    expect(bucketNameProblem('fine-bucket')).toBeUndefined();
  });

  it('access', () => {
    check(
      'role.access',
      created,
      ['read', 'read-write'],
      [
        ['write', /expected 'read' or 'read-write'/],
        [undefined, /not one of the choices/],
      ],
    );
  });
});

describe('validateField: storage', () => {
  it('size depends on type and image', () => {
    check(
      'storage.sizeGiB',
      base,
      // gp3 goes up to 65,536 GiB (64 TiB), as the EC2 API reference (CreateVolume, ModifyVolume) says.
      [8, 100, 16384, 16385, 65536],
      [
        [7, "Volume size 7 GiB is smaller than the Amazon Linux 2023 image's 8 GiB root snapshot; use at least 8 GiB."],
        [65537, 'Volume size 65537 GiB is out of range for gp3; expected 1–65,536 GiB.'],
        [8.5, /whole number of GiB/],
        ['8', /whole number/],
        [0, /out of range/],
      ],
    );
    const io2 = withSpec((s) => {
      s.storage.type = 'io2';
      s.instance.image = 'ami';
      s.instance.amiId = 'ami-12345678';
    });
    check(
      'storage.sizeGiB',
      io2,
      [4, 65536],
      [
        [3, /out of range for io2; expected 4–65,536 GiB/],
        [65537, /4–65,536/],
      ],
    );
    // gp2 stays at 16,384 GiB (16 TiB).
    const gp2 = withSpec((s) => (s.storage.type = 'gp2'));
    check('storage.sizeGiB', gp2, [16384], [[16385, 'Volume size 16385 GiB is out of range for gp2; expected 1–16,384 GiB.']]);
    const al2 = withSpec((s) => (s.instance.image = 'al2'));
    check('storage.sizeGiB', al2, [8], [[4, /Amazon Linux 2 image's 8 GiB/]]);
  });

  it('type, encrypted', () => {
    check('storage.type', base, ['gp3', 'gp2', 'io2'], [['st1', /expected 'gp3', 'gp2' or 'io2'/]]);
    check('storage.encrypted', base, [true, false], [['on', /true or false/]]);
  });

  it('kms key forms', () => {
    check(
      'storage.kmsKey',
      base,
      [
        'aws/ebs',
        'new',
        'alias/my-key',
        'alias/aws/ebs',
        '1234abcd-12ab-34cd-56ef-1234567890ab',
        'mrk-1234abcd12ab34cd56ef1234567890ab',
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:kms:us-east-1:111122223333:alias/my-key',
      ],
      [
        ['my-key', /expected 'aws\/ebs', 'new', an alias like alias\/my-key, a key id, or a key or alias ARN/],
        ['alias/', /not recognised/],
        ['arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab', /not recognised/],
        ['1234ABCD-12ab-34cd-56ef-1234567890ab', /not recognised/],
      ],
    );
    const off = withSpec((s) => (s.storage.encrypted = false));
    expect(validateField('storage.kmsKey', 'junk', off)).toBeUndefined();

    const gov = withSpec((s) => (s.region = 'us-gov-west-1'));
    expect(validateField('storage.kmsKey', 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', gov)).toBeUndefined();
  });

  it('a key or alias ARN from another region is refused, naming both regions, with no AWS call', () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(validateField('storage.kmsKey', arn, base)).toBe(
      `KMS key '${arn}' is in eu-west-1, but this launch is in us-east-1; EBS only encrypts with a key in the volume's own region, so choose a key in us-east-1 (a multi-Region key's replica there has its own ARN) or launch in eu-west-1.`,
    );
    expect(validateField('storage.kmsKey', 'arn:aws:kms:eu-west-1:111122223333:alias/my-key', base)).toMatch(/is in eu-west-1/);
    expect(validateSpec(withSpec((s) => (s.storage.kmsKey = arn)))).toEqual([{field: 'storage.kmsKey', message: expect.stringMatching(/is in eu-west-1/)}]);
    expect(
      validateField(
        'storage.kmsKey',
        arn,
        withSpec((s) => (s.region = 'eu-west-1')),
      ),
    ).toBeUndefined();
  });
});

describe('validateField: security group', () => {
  it('mode, name, group id', () => {
    check('securityGroup.mode', base, ['create', 'existing'], [['reuse', /expected 'create' or 'existing'/]]);
    check(
      'securityGroup.name',
      base,
      ['web-sg', 'Web SG (prod) #1 [a]+b=c&d;e{f}!$*:/@,.', 's'.repeat(255)],
      [
        ['', /required/],
        ['s'.repeat(256), /limit is 255/],
        ['sg-web', /starts with 'sg-'/],
        ['web|sg', /letters, digits, spaces and \._-:\/\(\)#,@\[\]\+=&;\{\}!\$\*/],
        ['wéb', /characters AWS does not allow/],
      ],
    );
    check(
      'securityGroup.groupId',
      existing,
      ['sg-0123abcd', 'sg-0123456789abcdef0'],
      [
        ['sg-xyz', /expected one like sg-0abc1234/],
        ['web-sg', /not a group id/],
        [undefined, /\(missing\)/],
      ],
    );
    expect(validateField('securityGroup.groupId', undefined, base)).toBeUndefined();
  });

  it('SSH is off, from anywhere, or from exactly one address: any other range is refused', () => {
    check(
      'securityGroup.ssh',
      base,
      [false, '0.0.0.0/0', '::/0', '203.0.113.7/32', '2001:db8::7/128'],
      [
        ['10.0.0.0/8', /SSH source: 10\.0\.0\.0\/8 is a range, not one address/],
        ['203.0.113.0/24', /is a range, not one address/],
      ],
    );
  });

  it('http/https/ssh are false or a valid CIDR; risk is for findings', () => {
    for (const field of ['securityGroup.http', 'securityGroup.https']) {
      check(
        field,
        base,
        [false, '0.0.0.0/0', '::/0', '203.0.113.7/32', '2001:db8::7/128', '10.0.0.0/8'],
        [
          ['203.0.113.7', /has no prefix length; expected a CIDR block such as 203.0.113.7\/32/],
          ['203.0.113.7/24', /host bits are set|has host bits set; did you mean 203.0.113.0\/24\?/],
          ['10.0.0.0/33', /must be 0–32/],
          [true, /or false for no rule/],
        ],
      );
    }
    check(
      'securityGroup.ssh',
      base,
      [],
      [
        ['203.0.113.7', /has no prefix length/],
        ['10.0.0.0/33', /must be 0–32/],
        [true, /or false for no rule/],
      ],
    );
    expect(validateField('securityGroup.ssh', '203.0.113.7', base)).toBe(
      "SSH source: '203.0.113.7' has no prefix length; expected a CIDR block such as 203.0.113.7/32 for one address or 10.0.0.0/16.",
    );
  });
});

describe('validateField: key pair', () => {
  const create = created;
  const importing = withSpec((s) => (s.keyPair = {mode: 'import', name: 'mine', path: '~/.ssh/id_ed25519.pub'}));

  it('mode, name and type', () => {
    check('keyPair.mode', base, ['create', 'import', 'existing', 'none'], [['generate', /expected 'create', 'import', 'existing' or 'none'/]]);
    check(
      'keyPair.name',
      create,
      ['web-key', 'my key (2)', 'k'.repeat(255)],
      [
        ['', /required/],
        [undefined, /required/],
        ['k'.repeat(256), /limit is 255/],
        ['clé', /printable ASCII only/],
        ['a\tb', /printable ASCII/],
      ],
    );
    expect(validateField('keyPair.name', undefined, base)).toBeUndefined();
    check('keyPair.type', create, ['ed25519', 'rsa', undefined], [['dsa', /expected 'ed25519' or 'rsa'/]]);
  });

  it('path: absolute or ~/, no NUL; existence is the executor’s job', () => {
    check(
      'keyPair.path',
      create,
      ['~/.ssh/web-key.pem', '/home/me/keys/web.pem', '~/.ssh/web-key'],
      [
        ['', /needs a path: where to save the private key, like ~\/.ssh\/web-key.pem/],
        [undefined, /needs a path/],
        ['keys/web.pem', /is relative; give an absolute path or one starting with ~\//],
        ['~/.ssh/web\0.pem', /NUL character/],
        ['~/.ssh/', /names a directory/],
      ],
    );
    check('keyPair.path', importing, ['~/.ssh/id_ed25519.pub'], [['', /the public key file to import, like ~\/.ssh\/web-key.pub/]]);
    expect(validateField('keyPair.path', undefined, base)).toBeUndefined();
  });

  it('warns, without failing, about a private key file not ending in .pem or importing a .pem', () => {
    const noPem = withSpec((s) => (s.keyPair.path = '~/.ssh/web-key'), create);
    expect(validateSpec(noPem)).toEqual([]);
    expect(validationWarnings(noPem)).toEqual([{field: 'keyPair.path', message: expect.stringContaining('does not end in .pem')}]);
    const importPem = withSpec((s) => (s.keyPair.path = '~/.ssh/id.pem'), importing);
    expect(validationWarnings(importPem)[0].message).toMatch(/looks like a private key/);
    expect(validationWarnings(base)).toEqual([]);
  });
});

describe('validateField: tags and accepted risks', () => {
  it('tags', () => {
    check(
      'tags',
      base,
      [{}, {owner: 'ops', 'cost-center': '', 'team:name': 'web +1 @x'}, {k: 'v'.repeat(256)}],
      [
        [{'aws:owner': 'x'}, /'aws:', a prefix reserved for AWS/],
        [{'AWS:owner': 'x'}, /reserved for AWS/],
        [{'': 'x'}, /1–128 characters/],
        [{['k'.repeat(129)]: 'x'}, /1–128 characters/],
        [{owner: 'v'.repeat(257)}, /257 characters; the limit is 256/],
        [{Name: 'x'}, /set from the instance name/],
        [{'tandem:launch-id': 'x'}, /tandem reserves/],
        [{owner: 'a|b'}, /characters some AWS services reject/],
        [{owner: 3}, /text value/],
        [Object.fromEntries([...Array(49).keys()].map((i) => [`k${i}`, 'v'])), /at most 48 of your own fit the 50-tag limit/],
        [['a'], /map of key: value pairs/],
      ],
    );
  });

  it('accepted risks', () => {
    check(
      'acceptedRisks',
      base,
      [[], [{finding: 'http-open-to-internet', reason: 'public web server'}]],
      [
        [[{finding: 'ssh-open-to-internet', reason: ' '}], /needs a reason/],
        [[{finding: 'Bad Id', reason: 'x'}], /not a finding id/],
        [{}, /must be a list/],
      ],
    );
  });
});

describe('instance types', () => {
  it('parses names and maps architectures', () => {
    expect(parseInstanceType('c7i.metal-24xl')).toEqual({family: 'c7i', size: 'metal-24xl'});
    expect(parseInstanceType('micro')).toBeUndefined();
    expect(archForInstanceType('t3.micro')).toBe('x86_64');
    expect(archForInstanceType('t3a.small')).toBe('x86_64');
    expect(archForInstanceType('g4dn.xlarge')).toBe('x86_64');
    expect(archForInstanceType('t4g.nano')).toBe('arm64');
    expect(archForInstanceType('x2gd.large')).toBe('arm64');
    expect(archForInstanceType('is4gen.large')).toBe('arm64');
    expect(archForInstanceType('m9g.large')).toBe('arm64');
    expect(archForInstanceType('mac1.metal')).toBeUndefined();
    expect(isBurstable('t3.micro')).toBe(true);
    expect(isBurstable('m5.large')).toBe(false);
  });
});

describe('warnings', () => {
  it('a public IP in the private subnet cannot be reached', () => {
    const spec = withSpec((s) => {
      s.network.subnet = 'private';
      s.network.publicIp = true;
    }, created);
    expect(validationWarnings(spec).map((w) => w.field)).toContain('network.publicIp');
  });
});

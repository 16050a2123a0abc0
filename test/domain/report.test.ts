import {describe, expect, it} from 'vitest';
import {CONTROLS} from '../../source/domain/catalog.js';
import {acceptRisk} from '../../source/domain/findings.js';
import {buildPlan} from '../../source/domain/plan.js';
import type {Plan} from '../../source/domain/plan-types.js';
import {OWNER_WORD, ownerCounts} from '../../source/domain/owners.js';
import {explainDocument, markdownCell, renderMarkdown, renderText} from '../../source/domain/report.js';
import {wrap} from '../../source/domain/report-wrap.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

// A small hand-made plan, so these tests do not depend on how plan.ts builds one.
const PLAN: Plan = {
  steps: [
    {
      id: 'run',
      service: 'ec2',
      action: 'RunInstances',
      params: {},
      creates: ['instance'],
      dependsOn: ['sg', 'image'],
      controls: ['instance-type'],
      dryRunnable: true,
      summary: 'Launch the instance',
    },
    {id: 'image', service: 'ssm', action: 'GetParameter', params: {}, creates: [], dependsOn: [], controls: ['ami-provenance'], dryRunnable: false, summary: 'Look up the image'},
    {
      id: 'sg',
      service: 'ec2',
      action: 'CreateSecurityGroup',
      params: {},
      creates: ['security-group'],
      dependsOn: [],
      controls: ['security-group-rules'],
      dryRunnable: true,
      summary: 'Create | the group',
    },
    {
      id: 'rules',
      service: 'ec2',
      action: 'AuthorizeSecurityGroupIngress',
      params: {},
      creates: [],
      dependsOn: ['sg'],
      controls: ['security-group-rules'],
      dryRunnable: true,
      summary: 'Allow HTTP',
    },
  ],
};

function busySpec(): LaunchSpec {
  let spec = defaultSpec('eu-west-1');
  spec.instance.image = 'ami';
  spec.instance.amiId = 'ami-0123456789abcdef0';
  spec.instance.tenancy = 'host';
  spec.securityGroup.ssh = '0.0.0.0/0';
  spec.storage.kmsKey = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  spec.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read-write'};
  spec.keyPair = {mode: 'create', name: 'web-key', type: 'ed25519', path: '/home/operator/.ssh/a-rather-long-directory-name/web-key.pem'};
  spec.tags = {owner: 'ops|platform'};
  spec = acceptRisk(spec, 'http-open-to-internet', 'public web server | behind WAF later');
  spec = acceptRisk(spec, 'imdsv1-allowed', 'not triggered here');
  return spec;
}

describe('explainDocument', () => {
  it('has a stable top-level shape', () => {
    const doc = explainDocument(defaultSpec(), PLAN);
    expect(Object.keys(doc)).toEqual(['format', 'spec', 'controls', 'ownerCounts', 'findings', 'predictedFailures', 'plan', 'cost', 'note']);
    expect(doc.format).toBe('tandem.explain/v1');
    expect(doc.note).toBe('explain mode makes no AWS calls');
    expect(Object.keys(doc.controls[0])).toEqual(['id', 'step', 'title', 'owner', 'kind', 'aws', 'customer', 'verify', 'checkers', 'compliance', 'checkerVerdicts']);
    expect(Object.keys(doc.findings[0])).toEqual(['id', 'severity', 'title', 'explanation', 'control', 'checkers', 'accepted']);
    expect(Object.keys(doc.plan)).toEqual(['depth', 'steps']);
    expect(Object.keys(doc.plan.steps[0])).toEqual(['order', 'level', 'id', 'service', 'action', 'summary', 'dependsOn', 'controls', 'dryRunnable', 'creates']);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('lists every catalog control once and counts owners', () => {
    const doc = explainDocument(defaultSpec(), PLAN);
    expect(doc.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
    expect(doc.ownerCounts).toEqual(ownerCounts(CONTROLS));
    expect(doc.ownerCounts.AWS + doc.ownerCounts.Customer + doc.ownerCounts['AWS/Customer']).toBe(CONTROLS.length);
  });

  it('orders the calls by dependency and computes the depth itself', () => {
    const doc = explainDocument(defaultSpec(), PLAN);
    expect(doc.plan.steps.map((s) => s.id)).toEqual(['image', 'sg', 'run', 'rules']);
    expect(doc.plan.steps.map((s) => s.order)).toEqual([1, 2, 3, 4]);
    expect(doc.plan.steps.map((s) => s.level)).toEqual([0, 0, 1, 1]);
    expect(doc.plan.depth).toBe(2);
    expect(explainDocument(defaultSpec(), {steps: []}).plan).toEqual({depth: 0, steps: []});
  });

  it('keeps steps caught in a cycle instead of dropping them', () => {
    const cyclic: Plan = {
      steps: [
        {...PLAN.steps[0], id: 'a', dependsOn: ['b']},
        {...PLAN.steps[0], id: 'b', dependsOn: ['a']},
      ],
    };
    expect(explainDocument(defaultSpec(), cyclic).plan.steps.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('reports accepted findings with their reason and null otherwise', () => {
    const doc = explainDocument(busySpec(), PLAN);
    expect(doc.findings.find((f) => f.id === 'http-open-to-internet')?.accepted).toEqual({reason: 'public web server | behind WAF later'});
    expect(doc.findings.find((f) => f.id === 'ssh-open-to-internet')?.accepted).toBeNull();
  });

  it('adapts the control text to the spec', () => {
    const doc = explainDocument(busySpec(), PLAN);
    expect(doc.controls.find((c) => c.id === 'tenancy')?.aws).toMatch(/dedicated host/);
  });

  it('works with the real plan', () => {
    const doc = explainDocument(defaultSpec(), buildPlan(defaultSpec()));
    expect(doc.plan.steps.length).toBeGreaterThan(0);
    expect(doc.plan.depth).toBeGreaterThan(0);
    for (const step of doc.plan.steps) {
      for (const dep of step.dependsOn) {
        expect(doc.plan.steps.find((s) => s.id === dep)!.order, `${step.id} after ${dep}`).toBeLessThan(step.order);
      }
    }
  });
});

describe('renderText', () => {
  for (const width of [24, 40, 57, 80, 132]) {
    it(`never writes a line wider than ${width} columns`, () => {
      for (const spec of [defaultSpec(), busySpec()]) {
        for (const plan of [PLAN, buildPlan(spec)]) {
          const lines = renderText(explainDocument(spec, plan), width).split('\n');
          const wide = lines.filter((line) => line.length > width);
          expect(wide, `lines over ${width}`).toEqual([]);
        }
      }
    });
  }

  it('has the launch summary, findings, matrix with badges, and the ordered calls', () => {
    const text = renderText(explainDocument(busySpec(), PLAN), 80);
    for (const heading of ['Launch', 'Findings (', 'Responsibility matrix', 'API calls (4, 2 rounds)']) expect(text).toContain(heading);
    expect(text).toContain('[AWS] Hypervisor isolation');
    expect(text).toContain('[YOU] Instance type');
    // Owner and kind are two words: the owner is both sides, the kind is shared.
    expect(text).toContain('[BOTH] Tenancy, kind shared');
    expect(text).toContain('[BOTH] Security group rules, kind hybrid');
    expect(text).not.toContain('[SHARED]');
    expect(text).toContain('[HIGH] SSH open to the internet');
    expect(text).toContain('Accepted risk: public web server | behind WAF later');
    expect(text).toContain('Accepted but not triggered: imdsv1-allowed');
    expect(text.indexOf('ssm GetParameter')).toBeLessThan(text.indexOf('ec2 RunInstances'));
    expect(text).toContain('explain mode makes no AWS calls');
  });

  it('keeps every word of a paragraph when wrapping', () => {
    const text = 'Every disk block is wiped before reuse and memory is scrubbed, arn:aws:kms:eu-west-1:123456789012:key/abc.';
    for (const width of [10, 20, 40]) {
      const lines = wrap(text, width, '  AWS  ');
      expect(lines.every((l) => l.length <= width)).toBe(true);
      expect(
        lines
          .map((l) => l.trim())
          .join(' ')
          .replace(/\s+/g, ''),
      ).toBe(`AWS${text}`.replace(/\s+/g, ''));
    }
  });
});

it('keeps terminal escape sequences from a profile inert in text and markdown', () => {
  const spec = busySpec();
  spec.tags = {note: '\u001b[2Jgone\nnext'};
  spec.acceptedRisks = [{finding: 'public-ipv4', reason: 'ok\u001b]0;title\u0007'}];
  const doc = explainDocument(spec, PLAN);
  for (const output of [renderText(doc, 40), renderMarkdown(doc)]) {
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(output).toContain('\\x1b');
  }
});

describe('renderMarkdown', () => {
  it('has a matrix row for every control, with owner, kind and checkers', () => {
    const markdown = renderMarkdown(explainDocument(defaultSpec(), PLAN));
    expect(markdown).toContain('| Step | Control | Owner | Kind | AWS does | You do | Verified by | Checkers | Checkers would say |');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| '));
    for (const control of CONTROLS) {
      const row = rows.find((line) => line.includes(`(${control.id})`));
      expect(row, control.id).toBeDefined();
      expect(row).toContain(`| ${OWNER_WORD[control.owner]} | ${control.kind} |`);
    }
    expect(markdown).toContain('| both | hybrid |');
    expect(markdown).toMatch(/by both: \d+/);
    expect(markdown).toContain('Security Hub EC2.9, Prowler ec2_instance_public_ip, Checkov CKV_AWS_88');
    // The default spec is a public web server: EC2.9 fails, and the matrix says so before launch.
    expect(markdown).toMatch(/FAIL: EC2\.9, ec2_instance_public_ip, CKV_AWS_88/);
  });

  it('escapes pipes so cells never split', () => {
    const markdown = renderMarkdown(explainDocument(busySpec(), PLAN));
    expect(markdown).toContain('public web server \\| behind WAF later');
    expect(markdown).toContain('owner=ops\\|platform');
    expect(markdown).toContain('Create \\| the group');
    expect(markdownCell('a|b\nc')).toBe('a\\|b c');
    // Every table row has as many unescaped separators as its header.
    const lines = markdown.split('\n');
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      const count = line.replace(/\\\|/g, '').split('|').length;
      if (columns === 0) columns = count;
      expect(count, line).toBe(columns);
    }
  });

  it('lists findings, accepted risks with reasons, and the API calls', () => {
    const markdown = renderMarkdown(explainDocument(busySpec(), PLAN));
    expect(markdown).toContain('## Findings');
    expect(markdown).toContain('## Accepted risks');
    expect(markdown).toMatch(/\| http-open-to-internet \| public web server .* \| yes \|/);
    expect(markdown).toMatch(/\| imdsv1-allowed \| not triggered here \| no \|/);
    expect(markdown).toContain('## API calls');
    expect(markdown).toMatch(/\| 1 \| 1 \| ssm:GetParameter \| image \|/);
  });
});

describe('the checks a plan will fail, before launch', () => {
  const doc = explainDocument(defaultSpec(), buildPlan(defaultSpec()));
  const anyPort = 'ec2_securitygroup_allow_ingress_from_internet_to_any_port';

  it('names each failing check once, with its tool, its own severity, the standards of a Security Hub control and what it fails', () => {
    const failure = doc.predictedFailures.find((f) => f.id === anyPort)!;
    expect(failure).toEqual({
      tool: 'Prowler',
      id: anyPort,
      title: expect.stringMatching(/any port/),
      severity: 'high',
      standards: null,
      resources: ['security group web-sg'],
      accepted: null,
    });
    const ec210 = doc.predictedFailures.find((f) => f.id === 'EC2.10')!;
    expect(ec210).toMatchObject({tool: 'Security Hub', severity: 'medium', standards: ['FSBP', 'NIST 800-53'], resources: ['default VPC']});
    // Every failing verdict of every checker is in the list, and nothing else.
    const failing = new Set(
      doc.controls
        .flatMap((c) => c.checkerVerdicts)
        .filter((v) => v.verdict === 'fail')
        .map((v) => `${v.tool} ${v.id}`),
    );
    expect(doc.predictedFailures.map((f) => `${f.tool} ${f.id}`).sort()).toEqual([...failing].sort());
    // Most severe first.
    expect(doc.predictedFailures.findIndex((f) => f.id === anyPort)).toBeLessThan(doc.predictedFailures.findIndex((f) => f.id === 'EC2.10'));
  });

  it('text and markdown list them with id and severity', () => {
    const text = renderText(doc, 200);
    expect(text).toContain(`Checks this plan will fail (${doc.predictedFailures.length})`);
    expect(text).toContain(`Prowler ${anyPort} (high) fails security group web-sg`);
    expect(text).toContain('Security Hub EC2.10 (medium; FSBP, NIST 800-53) fails default VPC');
    const markdown = renderMarkdown(doc);
    expect(markdown).toContain('## Checks this plan will fail');
    expect(markdown).toMatch(new RegExp(`\\| Prowler \\| ${anyPort}: [^|]+ \\| high \\| security group web-sg \\| open \\|`));
  });
});

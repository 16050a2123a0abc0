// Conformance: do tandem's checker verdicts agree with the checkers people really run? Seven
// launches go to the local endpoint through the real SDK; `tandem verify` gives its verdicts per
// resource; then Prowler 5 runs against the same endpoint with every Prowler check tandem cites,
// and checkov 3 runs on each launch's CloudFormation export. Every (check, resource) pair is
// compared. Security Hub cannot run locally: its rows are counted as not comparable, with the
// Prowler check that shares its rule. The agreement table is printed (docs/checkers.md carries it).
// Run with `npm run test:checkers` (Prowler's install is large; npm test does not need it).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {DescribeInstancesCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2';
import {DescribeKeyCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import type {CheckerVerdict} from '../../source/domain/checker-verdicts.js';
import {CHECKERS, equivalentsOf, type Checker} from '../../source/domain/checkers.js';
import type {VerificationResult} from '../../source/domain/cloud.js';
import {cloudFormationTemplate} from '../../source/domain/export-cloudformation-yaml.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {testSettings} from '../support/aws.js';
import {collect, strictEndpoint, tempDir, testCloud} from '../integration/provision-support.js';
import {conformanceProfiles, type Profile} from './profiles.js';
import {runCheckov, runProwler, type ToolFinding} from './tools.js';

/** Prowler and checkov read moto's default account; nothing else uses this moto server. */
const ACCOUNT = '123456789012';

/** The Prowler services every launch touches: an auditor runs all of their checks, not only tandem's. */
const BASE_SERVICES = ['ec2', 'vpc', 'iam', 'kms', 'ssm'];

/** Services a launch touches only when it creates their resources (by the journal's resource kinds). */
function servicesFor(kinds: readonly string[]): string[] {
  const extra = new Set<string>();
  for (const kind of kinds) {
    if (kind.startsWith('backup-')) extra.add('backup');
    // Prowler keeps the CloudWatch Logs checks (log groups' retention and keys) under "cloudwatch".
    if (kind === 'log-group' || kind === 'flow-log') extra.add('cloudwatch');
    // The Application Load Balancer, its target group and listeners are Prowler's "elbv2" service.
    if (kind === 'load-balancer' || kind === 'target-group' || kind === 'listener') extra.add('elbv2');
  }
  return [...BASE_SERVICES, ...[...extra].sort()];
}

/** Why a pair cannot be compared here: no such resource, Security Hub not local, or moto not AWS. */
type Because = 'no resource' | 'security hub' | 'moto';
type Cell = {state: 'agree'} | {state: 'disagree'; why: string} | {state: 'not comparable'; why: string; because: Because};

interface Launched {
  profile: Profile;
  results: VerificationResult[];
  /** Resource kinds the launch created, to pick the services to audit. */
  kinds: string[];
  /** Security groups of the launch's interface endpoints (see motoDiffersOnAudit). */
  endpointGroups: Set<string>;
  /** Every id this launch created or used, to spot a checker failure tandem did not predict. */
  ids: Set<string>;
}

let clients: AwsClients;
const launched: Launched[] = [];
let prowler: {findings: ToolFinding[]; ms: number};
let checkov: {findings: ToolFinding[]; ms: number};
let launchMs = 0;
/** The key moto made for alias/aws/ebs (moto calls it customer managed; see motoDiffers). */
let awsEbsKeyId: string | undefined;

/**
 * Where moto is not AWS, the checker sees something AWS would never show it. Each case is listed
 * here with the reason and counted as not comparable, never as agreement.
 */
function motoDiffers(checker: Checker, verdict: CheckerVerdict): string | undefined {
  // AWS reports aws/ebs with KeyManager AWS, which Prowler skips (kms_cmk_rotation_enabled.py
  // evaluates CUSTOMER keys only), as tandem predicts. moto reports KeyManager CUSTOMER with
  // rotation off, so Prowler fails it. Only a real account can show the real verdict.
  if (checker.id === 'kms_cmk_rotation_enabled' && verdict.verdict === 'not-applicable' && verdict.resource === awsEbsKeyId) {
    return 'moto reports aws/ebs as a customer managed key; AWS reports it AWS managed, which Prowler skips';
  }
  return undefined;
}

function matches(finding: ToolFinding, resource: string): boolean {
  return finding.resources.some((name) => name === resource || name.endsWith(`/${resource}`) || name.endsWith(`:${resource}`));
}

function verdictsOf(launch: Launched, checker: Checker): CheckerVerdict[] {
  return launch.results.flatMap((row) => row.checkerVerdicts).filter((verdict) => verdict.tool === checker.tool && verdict.id === checker.id);
}

/** One verdict against what the tool said about the same resource. */
function compare(verdict: CheckerVerdict, found: ToolFinding[]): Cell {
  if (found.length === 0) {
    return verdict.verdict === 'not-applicable' ? {state: 'agree'} : {state: 'disagree', why: `${verdict.resource}: tandem ${verdict.verdict}, the tool said nothing`};
  }
  const said = found.some((finding) => finding.status === 'fail') ? 'fail' : 'pass';
  return said === verdict.verdict ? {state: 'agree'} : {state: 'disagree', why: `${verdict.resource}: tandem ${verdict.verdict}, the tool ${said}`};
}

function merge(cells: Cell[]): Cell {
  return cells.find((cell) => cell.state === 'disagree') ?? cells.find((cell) => cell.state === 'agree') ?? cells[0];
}

function prowlerCell(launch: Launched, checker: Checker): Cell {
  const verdicts = verdictsOf(launch, checker);
  const ofCheck = prowler.findings.filter((finding) => finding.check === checker.id);
  const accountLevel = checker.resourceType === 'AWS::::Account';
  const cells = verdicts.map((verdict): Cell => {
    const moto = motoDiffers(checker, verdict);
    if (moto) return {state: 'not comparable', why: moto, because: 'moto'};
    return compare(verdict, accountLevel ? ofCheck : ofCheck.filter((finding) => matches(finding, verdict.resource)));
  });
  // A failure on this launch's resources that tandem gave no verdict for is a disagreement too.
  const judged = verdicts.map((verdict) => verdict.resource);
  const unpredicted = accountLevel
    ? []
    : ofCheck.filter((finding) => finding.status === 'fail' && [...launch.ids].some((id) => matches(finding, id)) && !judged.some((resource) => matches(finding, resource)));
  const moto = unpredicted.map((finding) => motoDiffersOnAudit(launch, finding)).find(Boolean);
  if (moto && unpredicted.every((finding) => motoDiffersOnAudit(launch, finding))) cells.push({state: 'not comparable', why: moto, because: 'moto'});
  else if (unpredicted.length > 0) cells.push({state: 'disagree', why: `Prowler fails ${unpredicted[0].resources.at(-1)}, tandem has no verdict`});
  if (cells.length === 0) return {state: 'not comparable', why: 'the launch has no such resource', because: 'no resource'};
  return merge(cells);
}

function checkovCell(launch: Launched, checker: Checker): Cell {
  const file = `${launch.profile.name}.yaml`;
  const ofCheck = checkov.findings.filter((finding) => finding.check === checker.id && finding.file === file);
  const verdicts = verdictsOf(launch, checker);
  const cells = verdicts.map((verdict) =>
    compare(
      verdict,
      ofCheck.filter((finding) => matches(finding, verdict.resource)),
    ),
  );
  const unjudged = ofCheck.filter((finding) => !verdicts.some((verdict) => matches(finding, verdict.resource)));
  if (unjudged.length > 0) cells.push({state: 'disagree', why: `checkov judged ${unjudged[0].resources[0]}, tandem did not`});
  if (cells.length === 0) return {state: 'not comparable', why: 'the template has no such resource', because: 'no resource'};
  return merge(cells);
}

function securityHubCell(launch: Launched, checker: Checker): Cell {
  const verdicts = verdictsOf(launch, checker);
  if (verdicts.length === 0) return {state: 'not comparable', why: 'the launch has no such resource', because: 'no resource'};
  const twin = equivalentsOf(checker).find((other) => other.tool === 'Prowler');
  return {state: 'not comparable', why: `Security Hub runs only in AWS${twin ? `; Prowler equivalent ${twin.id}` : ''}`, because: 'security hub'};
}

function cellFor(launch: Launched, checker: Checker): Cell {
  if (checker.tool === 'Prowler') return prowlerCell(launch, checker);
  if (checker.tool === 'Checkov') return checkovCell(launch, checker);
  return securityHubCell(launch, checker);
}

/** Checkov failures on tandem's templates from checks tandem does not cite at all. */
function uncitedCheckovFailures(): ToolFinding[] {
  const cited = new Set(CHECKERS.filter((checker) => checker.tool === 'Checkov').map((checker) => checker.id));
  return checkov.findings.filter((finding) => finding.status === 'fail' && !cited.has(finding.check));
}

function label(cell: Cell): string {
  return cell.state === 'agree' ? 'agree' : `${cell.state}: ${cell.why}`;
}

/**
 * What an audit of the launch also counts: the instance's volumes (the root volume), and for a VPC
 * the launch created, that VPC's default security group and network ACLs (AWS makes them with the
 * VPC, so they are the launch's too).
 */
async function alsoAudited(instanceId: string | undefined, createdVpcs: string[]): Promise<string[]> {
  const ids: string[] = [];
  if (instanceId) {
    const reservations = (await clients.ec2.send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))).Reservations ?? [];
    const mappings = reservations.flatMap((reservation) => reservation.Instances ?? []).flatMap((instance) => instance.BlockDeviceMappings ?? []);
    ids.push(...mappings.flatMap((mapping) => (mapping.Ebs?.VolumeId ? [mapping.Ebs.VolumeId] : [])));
  }
  if (createdVpcs.length > 0) {
    const filter = [{Name: 'vpc-id', Values: createdVpcs}];
    const groups = (await clients.ec2.send(new DescribeSecurityGroupsCommand({Filters: [...filter, {Name: 'group-name', Values: ['default']}]}))).SecurityGroups ?? [];
    const acls = (await clients.ec2.send(new DescribeNetworkAclsCommand({Filters: filter}))).NetworkAcls ?? [];
    ids.push(...groups.flatMap((group) => (group.GroupId ? [group.GroupId] : [])), ...acls.flatMap((acl) => (acl.NetworkAclId ? [acl.NetworkAclId] : [])));
  }
  return ids;
}

beforeAll(async () => {
  const settings = testSettings({accountId: ACCOUNT});
  clients = await makeClients(settings);
  awsEbsKeyId = (await clients.kms.send(new DescribeKeyCommand({KeyId: 'alias/aws/ebs'}))).KeyMetadata?.KeyId;
  const keyDir = tempDir('tandem-checkers-keys-');
  const {cloud} = await testCloud(settings);
  const started = Date.now();
  // Every launch first, then every verification: Prowler audits the account as the last launch
  // left it (a backup selection covers other launches' volumes too), and so must verify.
  const launchIds: Array<{profile: Profile; launchId: string}> = [];
  for (const profile of await conformanceProfiles(clients, keyDir)) {
    const launchId = newLaunchId();
    const {onEvent} = collect();
    const result = await cloud.launch(profile.spec, buildPlan(profile.spec), {launchId, onEvent});
    if (result.status !== 'launched') throw new Error(`profile ${profile.name} did not launch: ${result.status}`);
    launchIds.push({profile, launchId});
  }
  for (const {profile, launchId} of launchIds) {
    const results = await cloud.verify(launchId);
    const record = cloud.journal.read(launchId);
    const ids = new Set<string>([
      ...record.resources.map((resource) => resource.id),
      ...Object.values(record.resolved).filter((value): value is string => typeof value === 'string' && !value.includes('/')),
      ...results.flatMap((row) => row.checkerVerdicts.map((verdict) => verdict.resource)),
      ...(await alsoAudited(
        record.resolved.instanceId,
        record.resources.filter((resource) => resource.kind === 'vpc').map((resource) => resource.id),
      )),
    ]);
    const endpointGroups = new Set(record.resources.filter((resource) => resource.stepId === 'ssm-endpoint-group').map((resource) => resource.id));
    launched.push({profile, results, ids, kinds: record.resources.map((resource) => resource.kind), endpointGroups});
  }
  launchMs = Date.now() - started;

  const templates = tempDir('tandem-checkers-cfn-');
  mkdirSync(templates, {recursive: true});
  for (const {profile} of launched) {
    writeFileSync(path.join(templates, `${profile.name}.yaml`), cloudFormationTemplate(profile.spec, {profile: profile.name}));
  }
  [prowler, checkov] = await Promise.all([
    runProwler(await strictEndpoint(), {services: servicesFor(launched.flatMap((launch) => launch.kinds))}, tempDir('tandem-prowler-')),
    runCheckov(templates),
  ]);
}, 30 * 60_000);

/** Prowler failures on what a launch created or used, whichever check: what an auditor would see. */
function auditFailures(launch: Launched): ToolFinding[] {
  return prowler.findings.filter((finding) => finding.status === 'fail' && [...launch.ids].some((id) => matches(finding, id)));
}

/**
 * Where the full audit sees something on moto that AWS would never show it. Each case says why;
 * it is counted apart, never as predicted.
 */
function launchVerdicts(launch: Launched, check: string): CheckerVerdict[] {
  return launch.results.flatMap((row) => row.checkerVerdicts).filter((verdict) => verdict.id === check);
}

function motoDiffersOnAudit(launch: Launched, finding: ToolFinding): string | undefined {
  if (finding.check === 'kms_cmk_rotation_enabled' && awsEbsKeyId && matches(finding, awsEbsKeyId)) {
    return 'moto reports aws/ebs as a customer managed key; AWS reports it AWS managed, which Prowler skips';
  }
  // On AWS an interface endpoint puts a requester-managed network interface carrying its groups in
  // each of its subnets, so the endpoints' group is in use; moto makes no such interface.
  if (finding.check === 'ec2_securitygroup_not_used' && [...launch.endpointGroups].some((id) => matches(finding, id))) {
    return "moto makes no network interface for an interface endpoint, so the endpoints' group looks unused";
  }
  // moto has no Systems Manager DescribeInstanceInformation: Prowler sees no managed instance and
  // tandem's verify gets no answer, so it gives no verdict. On AWS the agent registers the instance
  // (Session Manager's role) and both read the same list (test/integration/session-reach.test.ts
  // plays AWS's answer through the proxy).
  if (finding.check === 'ec2_instance_managed_by_ssm' && !launchVerdicts(launch, finding.check).some((verdict) => matches(finding, verdict.resource))) {
    return 'moto has no DescribeInstanceInformation, so Prowler lists no managed instance and tandem gets no answer';
  }
  return undefined;
}

type AuditClass = 'predicted' | 'moto' | 'unpredicted';

interface AuditRow {
  launch: string;
  check: string;
  severity: string;
  resource: string;
  kind: AuditClass;
  why?: string;
}

/** Every failure of the full audit on a launch's resources, and whether tandem said so first. */
function auditRows(launch: Launched): AuditRow[] {
  const failing = launch.results.flatMap((row) => row.checkerVerdicts).filter((verdict) => verdict.tool === 'Prowler' && verdict.verdict === 'fail');
  return auditFailures(launch).map((finding) => {
    const base = {launch: launch.profile.name, check: finding.check, severity: finding.severity ?? '?', resource: finding.resources[0] ?? '?'};
    if (failing.some((verdict) => verdict.id === finding.check && matches(finding, verdict.resource))) return {...base, kind: 'predicted'};
    const moto = motoDiffersOnAudit(launch, finding);
    if (moto) return {...base, kind: 'moto', why: moto};
    return {...base, kind: 'unpredicted', why: finding.detail};
  });
}

/** The closing table: per launch, distinct failing checks and how many tandem predicted. */
function auditTable(rows: readonly AuditRow[]): string[] {
  const checks = (launch: string, kind?: AuditClass) => new Set(rows.filter((row) => row.launch === launch && (!kind || row.kind === kind)).map((row) => row.check)).size;
  return [
    '| launch | Prowler checks failing on its resources | predicted by tandem | moto differs from AWS | unpredicted |',
    '| --- | --- | --- | --- | --- |',
    ...launched.map(({profile: {name}}) => `| ${name} | ${checks(name)} | ${checks(name, 'predicted')} | ${checks(name, 'moto')} | ${checks(name, 'unpredicted')} |`),
  ];
}

/** Each failing check once, with Prowler's severity and the launches it fails on. */
function auditList(rows: readonly AuditRow[]): string[] {
  const byCheck = new Map<string, AuditRow[]>();
  for (const row of rows) byCheck.set(row.check, [...(byCheck.get(row.check) ?? []), row]);
  return [...byCheck]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([check, list]) => {
      const kinds = [...new Set(list.map((row) => row.kind))].join('/');
      return `${check} (${list[0].severity}) ${kinds}: ${[...new Set(list.map((row) => row.launch))].join(', ')}`;
    });
}

describe("tandem's verdicts and the checkers people run", () => {
  it("predict every failure of Prowler's full audit of the services a launch touches, on the launch's resources", () => {
    const rows = launched.flatMap(auditRows);
    console.log(
      [
        `Prowler's full audit (${servicesFor(launched.flatMap((launch) => launch.kinds)).join(', ')}, --scan-unused-services): failures on each launch's resources`,
        '',
        ...auditTable(rows),
        '',
        ...auditList(rows),
        '',
        ...rows.filter((row) => row.kind === 'moto').map((row) => `moto differs: ${row.check} on ${row.resource}: ${row.why}`),
      ].join('\n'),
    );
    expect(launched.map((launch) => launch.profile.name)).toEqual(expect.arrayContaining(['defaults', 'hardened']));
    expect(rows.filter((row) => row.kind === 'unpredicted').map((row) => `${row.launch}: ${row.check} (${row.severity}) on ${row.resource}: ${row.why}`)).toEqual([]);
  });

  it('agree on every check tandem cites, per resource, over eight launches', () => {
    const profiles = launched.map((launch) => launch.profile.name);
    const rows = CHECKERS.map((checker) => ({checker, cells: launched.map((launch) => cellFor(launch, checker))}));
    const all = rows.flatMap((row) => row.cells);
    const count = (state: Cell['state']) => all.filter((cell) => cell.state === state).length;
    const SHORT: Record<Because, string> = {'no resource': '—', 'security hub': 'n/c (AWS only)', moto: 'n/c (moto)'};
    const short = (cell: Cell) => (cell.state === 'agree' ? 'agree' : cell.state === 'disagree' ? 'DISAGREE' : SHORT[cell.because]);
    const because = (reason: Because) => all.filter((cell) => cell.state === 'not comparable' && cell.because === reason).length;

    const table = [
      `| tool | check | ${profiles.join(' | ')} |`,
      `| --- | --- | ${profiles.map(() => '---').join(' | ')} |`,
      ...rows.map(({checker, cells}) => `| ${checker.tool} | ${checker.id} | ${cells.map(short).join(' | ')} |`),
    ];
    const reasons = [
      ...new Set(
        rows.flatMap(({checker, cells}) =>
          cells.filter((cell) => cell.state === 'disagree' || (cell.state === 'not comparable' && cell.because !== 'no resource')).map((cell) => `${checker.id}: ${label(cell)}`),
        ),
      ),
    ];
    const uncited = uncitedCheckovFailures();
    console.log(
      [
        'Agreement of tandem with the checkers (rows: checks tandem cites; columns: launches)',
        '',
        ...table,
        '',
        `agree ${count('agree')}, disagree ${count('disagree')}, not comparable ${count('not comparable')} ` +
          `(${because('security hub')} Security Hub, ${because('moto')} moto differs from AWS, ${because('no resource')} no such resource); ` +
          `checkov failures tandem does not cite: ${uncited.length}`,
        `launch and verify of ${launched.length} profiles ${launchMs} ms, Prowler ${prowler.ms} ms, checkov ${checkov.ms} ms`,
        '',
        ...reasons,
      ].join('\n'),
    );

    expect(launched).toHaveLength(8);
    // Every check tandem cites was compared on at least one launch (or is Security Hub's, or moto
    // cannot answer what it reads on any launch: each such cell says why).
    for (const {checker, cells} of rows) {
      const motoOnly =
        cells.every((cell) => cell.state === 'not comparable' && cell.because !== 'security hub') && cells.some((cell) => cell.state === 'not comparable' && cell.because === 'moto');
      if (checker.tool !== 'Security Hub' && !motoOnly)
        expect(
          cells.some((cell) => cell.state === 'agree'),
          `${checker.tool} ${checker.id}`,
        ).toBe(true);
    }
    expect(uncited.map((finding) => `${finding.check} ${finding.file} ${finding.resources[0]}`)).toEqual([]);
    expect(reasons.filter((reason) => reason.includes('disagree'))).toEqual([]);
  });
});

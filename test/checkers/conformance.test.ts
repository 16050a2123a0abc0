// Conformance: do tandem's checker verdicts agree with the checkers people really run? Five
// launches go to the local endpoint through the real SDK; `tandem verify` gives its verdicts per
// resource; then Prowler 5 runs against the same endpoint with every Prowler check tandem cites,
// and checkov 3 runs on each launch's CloudFormation export. Every (check, resource) pair is
// compared. Security Hub cannot run locally: its rows are counted as not comparable, with the
// Prowler check that shares its rule. The agreement table is printed (docs/checkers.md carries it).
// Run with `npm run test:checkers` (Prowler's install is large; npm test does not need it).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {DescribeKeyCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import type {CheckerVerdict} from '../../source/domain/checker-verdicts.js';
import {CHECKERS, equivalentsOf, type Checker} from '../../source/domain/checkers.js';
import type {VerificationResult} from '../../source/domain/cloud.js';
import {cloudFormationTemplate} from '../../source/domain/export-cloudformation-yaml.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {collect, tempDir, testCloud} from '../integration/provision-support.js';
import {conformanceProfiles, type Profile} from './profiles.js';
import {runCheckov, runProwler, type ToolFinding} from './tools.js';

/** Prowler and checkov read moto's default account; nothing else uses this moto server. */
const ACCOUNT = '123456789012';

/** Why a pair cannot be compared here: no such resource, Security Hub not local, or moto not AWS. */
type Because = 'no resource' | 'security hub' | 'moto';
type Cell = {state: 'agree'} | {state: 'disagree'; why: string} | {state: 'not comparable'; why: string; because: Because};

interface Launched {
  profile: Profile;
  results: VerificationResult[];
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
  if (unpredicted.length > 0) cells.push({state: 'disagree', why: `Prowler fails ${unpredicted[0].resources.at(-1)}, tandem has no verdict`});
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

beforeAll(async () => {
  const settings = testSettings({accountId: ACCOUNT});
  clients = await makeClients(settings);
  awsEbsKeyId = (await clients.kms.send(new DescribeKeyCommand({KeyId: 'alias/aws/ebs'}))).KeyMetadata?.KeyId;
  const keyDir = tempDir('tandem-checkers-keys-');
  const {cloud} = await testCloud(settings);
  const started = Date.now();
  for (const profile of await conformanceProfiles(clients, keyDir)) {
    const launchId = newLaunchId();
    const {onEvent} = collect();
    const result = await cloud.launch(profile.spec, buildPlan(profile.spec), {launchId, onEvent});
    if (result.status !== 'launched') throw new Error(`profile ${profile.name} did not launch: ${result.status}`);
    const results = await cloud.verify(launchId);
    const record = cloud.journal.read(launchId);
    const ids = new Set<string>([
      ...record.resources.map((resource) => resource.id),
      ...Object.values(record.resolved).filter((value): value is string => typeof value === 'string'),
      ...results.flatMap((row) => row.checkerVerdicts.map((verdict) => verdict.resource)),
    ]);
    launched.push({profile, results, ids});
  }
  launchMs = Date.now() - started;

  const templates = tempDir('tandem-checkers-cfn-');
  mkdirSync(templates, {recursive: true});
  for (const {profile} of launched) {
    writeFileSync(path.join(templates, `${profile.name}.yaml`), cloudFormationTemplate(profile.spec, {profile: profile.name}));
  }
  const prowlerChecks = [...new Set(CHECKERS.filter((checker) => checker.tool === 'Prowler').map((checker) => checker.id))];
  [prowler, checkov] = await Promise.all([runProwler(motoEndpoint(), prowlerChecks, tempDir('tandem-prowler-')), runCheckov(templates)]);
}, 30 * 60_000);

describe("tandem's verdicts and the checkers people run", () => {
  it('agree on every check tandem cites, per resource, over six launches', () => {
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

    expect(launched).toHaveLength(6);
    // Every check tandem cites was compared on at least one launch (or is Security Hub's).
    for (const {checker, cells} of rows) {
      if (checker.tool !== 'Security Hub')
        expect(
          cells.some((cell) => cell.state === 'agree'),
          `${checker.tool} ${checker.id}`,
        ).toBe(true);
    }
    expect(uncited.map((finding) => `${finding.check} ${finding.file} ${finding.resources[0]}`)).toEqual([]);
    expect(reasons.filter((reason) => reason.includes('disagree'))).toEqual([]);
  });
});

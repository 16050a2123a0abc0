// Pre-flight checks the names the flow logs and the backup plan would create, against the local
// endpoint through the real SDK: a taken one refuses `tandem launch PROFILE --yes` with exit 2 and
// nothing created (the fault proxy counts every call that would create or change something),
// naming the resource and what to do; a launch that creates none of them does not look them up.
// moto 5.2.1 answers every read used here itself: CloudWatch Logs DescribeLogGroups (by prefix),
// IAM GetRole, AWS Backup DescribeBackupVault (ResourceNotFoundException for a missing vault) and
// ListBackupPlans (one page, no NextToken); the backup double (test/support/backup-double.ts)
// passes these on to moto.
import {CreateLogGroupCommand} from '@aws-sdk/client-cloudwatch-logs';
import {CreateBackupPlanCommand, CreateBackupVaultCommand} from '@aws-sdk/client-backup';
import {CreateRoleCommand} from '@aws-sdk/client-iam';
import {describe, expect, it} from 'vitest';
import {createCloud} from '../../source/aws/index.js';
import type {PreflightReport} from '../../source/domain/cloud.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {PUBLIC_WEB_SERVER_FLAGS} from '../support/launch-specs.js';
import {freshAccounts, type Account} from './preflight-support.js';

const account = freshAccounts();

const TRUST = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'vpc-flow-logs.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
const FLOW_LOGS = 'version: 1\nnetwork: {vpc: default, flowLogs: true}\n';
const BACKUP_PLAN = 'version: 1\nbackup: {plan: true}\n';

/** Launches `yaml` with --yes and expects pre-flight to refuse with exit 2 before any create call. */
async function refused(acct: Account, yaml: string) {
  const since = acct.proxy.requests.length;
  // The public web server's high risks (and the backup role's) are accepted, so it is pre-flight that refuses.
  const run = await acct.launch([acct.profile(yaml)], {yes: true, acceptRisk: [...PUBLIC_WEB_SERVER_FLAGS, 'backup-role-trust-unscoped=AWS Backup role, this account only']});
  expect(run.code, run.stderr).toBe(2);
  expect(acct.creates(since)).toEqual([]);
  expect(run.stderr).toContain('nothing was created');
  return run.stderr;
}

/** Pre-flight alone, through the Cloud the TUI's review uses. */
async function preflight(acct: Account, spec: LaunchSpec): Promise<PreflightReport> {
  const cloud = await createCloud({region: 'us-east-1', endpointUrl: acct.proxy.endpoint, maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}}, acct.home);
  return cloud.preflight(spec);
}

const checksOf = (report: PreflightReport) => report.results.map((result) => `${result.check} ${result.status}`);

describe('pre-flight and the names the flow logs create', () => {
  it('a log group already named /tandem/vpc-flow-logs/<name> refuses the launch, naming the group and what to do; a longer name sharing its prefix does not', async () => {
    const acct = await account();
    await acct.clients.logs.send(new CreateLogGroupCommand({logGroupName: '/tandem/vpc-flow-logs/web-10'}));
    const spec: LaunchSpec = {...defaultSpec('us-east-1'), network: {...defaultSpec('us-east-1').network, flowLogs: true}};
    expect(checksOf(await preflight(acct, spec))).toEqual(expect.arrayContaining(['flow-log-group-name ok', 'flow-log-role-name ok']));

    await acct.clients.logs.send(new CreateLogGroupCommand({logGroupName: '/tandem/vpc-flow-logs/web-1'}));
    const stderr = await refused(acct, FLOW_LOGS);
    expect(stderr).toContain('tandem launch: instance.name: CloudWatch Logs group /tandem/vpc-flow-logs/web-1 already exists; ');
    expect(stderr).toContain('choose another instance.name');
    expect(stderr).toContain('set network.flowLogs: false');
    // Another instance name is free of it.
    const other = await preflight(acct, {...spec, instance: {...spec.instance, name: 'web-2'}});
    expect(checksOf(other)).toContain('flow-log-group-name ok');
  });

  it('a role already named tandem-flow-logs-<name> refuses a new VPC, whose flow logs are on by default', async () => {
    const acct = await account();
    await acct.clients.iam.send(new CreateRoleCommand({RoleName: 'tandem-flow-logs-web-1', AssumeRolePolicyDocument: TRUST}));
    const stderr = await refused(acct, 'version: 1\nnetwork: {vpc: new, subnet: public, cidr: 10.40.0.0/16}\n');
    expect(stderr).toContain('tandem launch: instance.name: role tandem-flow-logs-web-1 already exists; ');
  });
});

describe('pre-flight and the names the backup plan creates', () => {
  it('a vault, a plan or a role with the names of the backup plan refuses the launch, each named', async () => {
    const acct = await account();
    const {backup, iam} = acct.clients;
    const spec: LaunchSpec = {...defaultSpec('us-east-1'), backup: {plan: true, retentionDays: 7, firstSnapshot: true}};
    expect(checksOf(await preflight(acct, spec))).toEqual(expect.arrayContaining(['backup-vault-name ok', 'backup-plan-name ok', 'backup-role-name ok']));

    await backup.send(new CreateBackupVaultCommand({BackupVaultName: 'tandem-web-1'}));
    const vault = await refused(acct, BACKUP_PLAN);
    expect(vault).toContain('tandem launch: instance.name: backup vault tandem-web-1 already exists');
    expect(vault).toContain('a vault stays until its recovery points expire or you delete them');
    expect(vault).toContain('set backup.plan: false');

    await backup.send(new CreateBackupPlanCommand({BackupPlan: {BackupPlanName: 'tandem-web-2-daily', Rules: [{RuleName: 'daily', TargetBackupVaultName: 'tandem-web-1'}]}}));
    const plan = await refused(acct, 'version: 1\ninstance: {name: web-2}\nbackup: {plan: true}\n');
    expect(plan).toMatch(/tandem launch: instance\.name: backup plan tandem-web-2-daily \([^)]+\) already exists/);
    expect(plan).not.toContain('backup vault tandem-web-2');

    await iam.send(new CreateRoleCommand({RoleName: 'tandem-backup-web-3', AssumeRolePolicyDocument: TRUST}));
    const role = await refused(acct, 'version: 1\ninstance: {name: web-3}\nbackup: {plan: true}\n');
    expect(role).toContain('tandem launch: instance.name: role tandem-backup-web-3 already exists');
  });
});

describe('only what the launch creates is looked up', () => {
  it('with flow logs and the backup plan off, their names are not checked even when taken', async () => {
    const acct = await account();
    await acct.clients.logs.send(new CreateLogGroupCommand({logGroupName: '/tandem/vpc-flow-logs/web-1'}));
    await acct.clients.backup.send(new CreateBackupVaultCommand({BackupVaultName: 'tandem-web-1'}));
    const since = acct.proxy.requests.length;
    const report = await preflight(acct, defaultSpec('us-east-1'));
    expect(checksOf(report).filter((check) => /^(flow-log|backup)-/.test(check))).toEqual([]);
    const asked = acct.proxy.requests.slice(since).map((request) => request.action);
    expect(asked).not.toContain('DescribeLogGroups');
    expect(asked).not.toContain('DescribeBackupVault');
    expect(asked).not.toContain('ListBackupPlans');
  });
});

describe('a lookup the caller may not make', () => {
  it('says "not checked: denied" with the call, rather than guessing the name is free', async () => {
    const acct = await account();
    acct.proxy.add({action: 'DescribeBackupVault', kind: 'error', code: 'AccessDeniedException', message: 'not allowed', status: 403});
    acct.proxy.add({action: 'DescribeLogGroups', kind: 'error', code: 'AccessDeniedException', message: 'not allowed', status: 400});
    try {
      const spec: LaunchSpec = {...defaultSpec('us-east-1'), network: {...defaultSpec('us-east-1').network, flowLogs: true}, backup: {plan: true, retentionDays: 7, firstSnapshot: true}};
      const results = (await preflight(acct, spec)).results;
      expect(results.find((result) => result.check === 'backup-vault-name')).toMatchObject({status: 'not-checked', field: 'instance.name', detail: 'denied (backup:DescribeBackupVault)'});
      expect(results.find((result) => result.check === 'flow-log-group-name')).toMatchObject({status: 'not-checked', field: 'instance.name', detail: 'denied (logs:DescribeLogGroups)'});
      expect(results.find((result) => result.check === 'backup-plan-name')).toMatchObject({status: 'ok'});
    } finally {
      acct.proxy.clear();
    }
  });
});

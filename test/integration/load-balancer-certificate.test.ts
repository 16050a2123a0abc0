// `loadBalancer.certificate: request` against moto through the real SDK: tandem asks ACM for the
// certificate, writes its DNS validation record into the account's Route 53 zone (or shows the
// record to create), waits for ISSUED with a bound, and puts the new certificate on the HTTPS
// listener. The AWS CLI (the pinned one beside moto) reads back what was built and what destroy and
// rollback left. moto 5.2.1 issues a requested certificate after 60 s whether or not the record
// exists; AWS issues it once the record is in DNS, and the proxy's ACM double
// (test/support/acm-double.ts) answers DescribeCertificate that way.
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DeleteCertificateCommand, RequestCertificateCommand} from '@aws-sdk/client-acm';
import {createCloud} from '../../source/aws/index.js';
import {makeClients} from '../../source/aws/clients.js';
import {runPreflight} from '../../source/aws/preflight.js';
import {buildPlan} from '../../source/domain/plan.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import type {LaunchEvent} from '../../source/domain/cloud.js';
import {TLS_POLICY} from '../../source/domain/controls/load-balancer.js';
import {createJournal, newLaunchId} from '../../source/store/journal.js';
import {adoptPending} from '../../source/aws/pending.js';
import {writeValidationRecord} from '../../source/aws/certificate.js';
import {withDefaults} from '../../source/store/profile-schema.js';
import {acmValidatesByDns} from '../support/acm-double.js';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {answerDryRunLikeAws, startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {collect, FAST, launchCleanly, tempDir} from './provision-support.js';

const AWS_CLI = path.resolve('.moto', 'awscli-venv', 'bin', 'aws');
const run = promisify(execFile);

let proxy: FaultProxy;
const cliProxies: FaultProxy[] = [];
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint(), {intercept: acmValidatesByDns(motoEndpoint())});
});
afterAll(async () => {
  await proxy.close();
  for (const cliProxy of cliProxies) await cliProxy.close();
});

/** A fresh account: tandem's cloud through the strict proxy, and the AWS CLI through a proxy that names the account. */
async function account(certificateWaitSeconds: number) {
  const accountId = freshAccountId();
  const direct = testSettings({accountId});
  const tuning = {...FAST, certificateWaitSeconds, certificateRecordPoll: {tries: 10, delayMs: 100}};
  const cloud = await createCloud({...direct, endpointUrl: proxy.endpoint}, tempDir('tandem-home-'), tuning);
  // The AWS CLI cannot send moto's account header: this proxy adds it (and validates ACM as AWS does).
  const cliProxy = await startFaultProxy(motoEndpoint(), {accountId, strict: false, intercept: acmValidatesByDns(motoEndpoint(), accountId)});
  cliProxies.push(cliProxy);
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const env = {...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: ''};
    const {stdout} = await run(AWS_CLI, [...args, '--endpoint-url', cliProxy.endpoint, '--output', 'json'], {env});
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };
  return {cloud, aws, check: await makeClients(direct)};
}

function requestSpec(domain: string, name = 'certified'): LaunchSpec {
  return withDefaults({version: 1, instance: {name}, loadBalancer: {certificate: 'request', domain, deletionProtection: false}});
}

type Zone = {Id: string; Name: string};
type RecordSet = {Name: string; Type: string; ResourceRecords?: Array<{Value: string}>};

async function zoneRecords(aws: (...args: string[]) => Promise<Record<string, unknown>>, zoneId: string): Promise<RecordSet[]> {
  return ((await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId)).ResourceRecordSets as RecordSet[]).filter((set) => set.Type === 'CNAME');
}

const certificates = async (aws: (...args: string[]) => Promise<Record<string, unknown>>) =>
  (await aws('acm', 'list-certificates', '--certificate-statuses', 'PENDING_VALIDATION', 'ISSUED', 'FAILED', 'VALIDATION_TIMED_OUT')).CertificateSummaryList as Array<{
    CertificateArn: string;
    DomainName: string;
  }>;

describe('a launch that requests its certificate', () => {
  it('with the zone in the account: writes the validation record, waits for ISSUED, puts the new certificate on 443; destroy removes both', async () => {
    const {cloud, aws, check} = await account(60);
    const zone = (await aws('route53', 'create-hosted-zone', '--name', 'example.com', '--caller-reference', `zone-${Date.now()}`)).HostedZone as Zone;
    const zoneId = zone.Id.replace('/hostedzone/', '');
    const spec = requestSpec('www.example.com');

    const preflight = (await runPreflight(check, spec)).results.find((result) => result.check === 'lb-certificate');
    expect(preflight).toMatchObject({status: 'ok', detail: `ACM will be asked for www.example.com; its DNS validation record goes into Route 53 zone example.com. (${zoneId})`});

    const {launchId} = await launchCleanly(cloud, spec);
    const [certificate] = await certificates(aws);
    expect(certificate.DomainName).toBe('www.example.com');
    const described = (await aws('acm', 'describe-certificate', '--certificate-arn', certificate.CertificateArn)).Certificate as {
      Status: string;
      DomainValidationOptions: Array<{ResourceRecord: {Name: string; Value: string}}>;
    };
    expect(described.Status).toBe('ISSUED');
    const wanted = described.DomainValidationOptions[0].ResourceRecord;
    expect((await zoneRecords(aws, zoneId)).map((set) => [set.Name, set.ResourceRecords?.[0]?.Value])).toEqual([[wanted.Name, wanted.Value]]);

    const lb = ((await aws('elbv2', 'describe-load-balancers')).LoadBalancers as Array<{LoadBalancerArn: string}>)[0];
    const listeners = (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn)).Listeners as Array<{
      Port: number;
      SslPolicy?: string;
      Certificates?: Array<{CertificateArn: string}>;
    }>;
    const https = listeners.find((listener) => listener.Port === 443);
    expect(https).toMatchObject({SslPolicy: TLS_POLICY, Certificates: [{CertificateArn: certificate.CertificateArn}]});

    const rows = new Map((await cloud.verify(launchId)).map((row) => [row.control, row]));
    expect(rows.get('lb-certificate')?.status, rows.get('lb-certificate')?.actual).toBe('pass');
    expect(rows.get('lb-certificate')?.actual).toContain('ISSUED for www.example.com');

    // AWS refuses to delete a certificate a listener holds (the strict proxy too): destroy removes the listener first.
    const routed = await makeClients({...check.settings, endpointUrl: proxy.endpoint});
    await expect(routed.acm.send(new DeleteCertificateCommand({CertificateArn: certificate.CertificateArn}))).rejects.toMatchObject({name: 'ResourceInUseException'});

    // The issued certificate given as an ARN: pre-flight accepts it for its own name, refuses it for another.
    const withArn = (domain: string) => withDefaults({version: 1, instance: {name: 'reuse'}, loadBalancer: {certificate: certificate.CertificateArn, domain}});
    const covering = (await runPreflight(routed, withArn('www.example.com'))).results.find((result) => result.check === 'lb-certificate');
    expect(covering).toMatchObject({status: 'ok', detail: `${certificate.CertificateArn} is ISSUED and covers www.example.com`});
    const other = (await runPreflight(routed, withArn('shop.example.com'))).results.find((result) => result.check === 'lb-certificate');
    expect(other).toMatchObject({status: 'fail', detail: expect.stringContaining('is for www.example.com, which does not cover shop.example.com') as unknown});

    await cloud.destroy(launchId);
    expect(await certificates(aws)).toEqual([]);
    expect(await zoneRecords(aws, zoneId)).toEqual([]);
  });

  it('without a zone: shows the record to create, stops when the wait runs out, and rollback leaves no certificate', async () => {
    const {cloud, aws} = await account(3);
    const spec = requestSpec('shop.example.org', 'uncovered');
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});

    const shown = events.find((event) => event.type === 'step-waiting' && event.stepId === 'certificate-issued');
    expect(shown).toMatchObject({
      reason: expect.stringMatching(
        /^no Route 53 public hosted zone in this account covers shop\.example\.org: create this DNS record .*: _\S+\.shop\.example\.org\. CNAME \S+acm-validations\.aws\.$/,
      ) as unknown,
    });
    const failed = events.find((event) => event.type === 'step-failed');
    expect(failed).toMatchObject({stepId: 'certificate-issued', code: 'CertificateNotIssued'});
    expect(failed?.type === 'step-failed' ? failed.message : '').toMatch(
      /ACM did not issue the certificate for shop\.example\.org within 3 s: it waits for the DNS record _\S+ CNAME \S+ to be created where the domain's DNS is served\. To go on: create the record .*give the ARN of an ISSUED certificate/,
    );
    expect(result.status).toBe('rolled-back');
    expect(await certificates(aws)).toEqual([]);
    expect((await aws('elbv2', 'describe-load-balancers')).LoadBalancers).toEqual([]);
  });
});

describe('the dry run of a launch that requests its certificate', () => {
  it('lists the ACM and Route 53 calls as not checkable (those APIs have no DryRun) and asks ACM for nothing', async () => {
    const {cloud, aws} = await account(60);
    answerDryRunLikeAws(proxy);
    try {
      const spec = requestSpec('www.example.com', 'dry');
      const results = new Map((await cloud.dryRun(spec, buildPlan(spec))).map((result) => [result.stepId, result]));
      expect(results.get('certificate')).toMatchObject({action: 'RequestCertificate', outcome: 'not-checkable', detail: 'Certificate Manager has no dry-run mode'});
      expect(results.get('certificate-validation-record')).toMatchObject({action: 'WriteValidationRecord', outcome: 'not-checkable', detail: 'Route 53 has no dry-run mode'});
      expect(results.get('certificate-issued')).toMatchObject({outcome: 'not-checkable'});
      expect(results.get('listener-https')).toMatchObject({outcome: 'not-checkable'});
    } finally {
      proxy.clear();
    }
    expect(await certificates(aws)).toEqual([]);
  });
});

describe('a requested certificate that ACM does not issue in time, with the zone in the account', () => {
  it('stops with the record named and rollback deletes the record it wrote and the certificate', async () => {
    const {cloud, aws} = await account(3);
    const zone = (await aws('route53', 'create-hosted-zone', '--name', 'example.io', '--caller-reference', `zone-${Date.now()}`)).HostedZone as Zone;
    const zoneId = zone.Id.replace('/hostedzone/', '');
    // The zone in the account is not the one the domain's DNS is delegated to: ACM never sees the
    // record. moto's own answer (PENDING_VALIDATION for its first 60 s) stands in for that, past the ACM double.
    proxy.add({service: 'acm', action: 'DescribeCertificate', kind: 'rewrite-body', replace: []});
    try {
      const spec = requestSpec('www.example.io', 'undelegated');
      const {events, onEvent} = collect();
      const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});
      const failed = events.find((event) => event.type === 'step-failed');
      expect(failed).toMatchObject({stepId: 'certificate-issued', code: 'CertificateNotIssued'});
      expect(failed?.type === 'step-failed' ? failed.message : '').toMatch(
        new RegExp(
          `tandem wrote the validation record _\\S+\\.www\\.example\\.io\\. CNAME \\S+ into Route 53 zone example\\.io\\.; check that the zone is the one the domain's registrar delegates to`,
        ),
      );
      expect(result.status).toBe('rolled-back');
      const removed = events.flatMap((event) => (event.type === 'resource-deleted' ? [event.resource.kind] : []));
      expect(removed).toEqual(expect.arrayContaining(['certificate', 'dns-record']));
      expect(await certificates(aws)).toEqual([]);
      expect(await zoneRecords(aws, zoneId)).toEqual([]);
    } finally {
      proxy.clear();
    }
  });
});

describe('a launch stopped by the operator while it waits for its certificate', () => {
  it('stops the wait at once and rolls back the record it wrote and the certificate', async () => {
    const {cloud, aws} = await account(120);
    const zone = (await aws('route53', 'create-hosted-zone', '--name', 'example.dev', '--caller-reference', `zone-${Date.now()}`)).HostedZone as Zone;
    const zoneId = zone.Id.replace('/hostedzone/', '');
    // ACM does not see the record (as in the test above), so the wait would run its whole bound.
    proxy.add({service: 'acm', action: 'DescribeCertificate', kind: 'rewrite-body', replace: []});
    try {
      const spec = requestSpec('www.example.dev', 'stopped');
      const stop = new AbortController();
      const events: LaunchEvent[] = [];
      const onEvent = (event: LaunchEvent) => {
        events.push(event);
        if (event.type === 'step-started' && event.stepId === 'certificate-issued') setTimeout(() => stop.abort(), 500);
      };
      const started = Date.now();
      const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent, signal: stop.signal});
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(result.status).toBe('interrupted');
      expect(events.find((event) => event.type === 'step-failed' && event.stepId === 'certificate-issued')).toMatchObject({code: 'Interrupted'});
      expect(await certificates(aws)).toEqual([]);
      expect(await zoneRecords(aws, zoneId)).toEqual([]);
    } finally {
      proxy.clear();
    }
  });
});

describe('a requested certificate whose validation record another certificate of the name already uses', () => {
  it('leaves the record as it found it: not written, not recorded, still there after destroy, like the other certificate', async () => {
    const {cloud, aws, check} = await account(60);
    const zone = (await aws('route53', 'create-hosted-zone', '--name', 'example.co', '--caller-reference', `zone-${Date.now()}`)).HostedZone as Zone;
    const zoneId = zone.Id.replace('/hostedzone/', '');
    // The operator's own certificate for the name, validated by its record: ACM asks every
    // certificate of the same name in the account for that same record.
    const theirs = (await check.acm.send(new RequestCertificateCommand({DomainName: 'www.example.co', ValidationMethod: 'DNS', IdempotencyToken: 'operator'}))).CertificateArn!;
    await writeValidationRecord(check, {CertificateArn: theirs, DomainName: 'www.example.co'}, {onNote: () => undefined});
    const before = await zoneRecords(aws, zoneId);
    expect(before).toHaveLength(1);

    const {launchId, result} = await launchCleanly(cloud, requestSpec('www.example.co', 'sharing'));
    expect(result.resources.map((resource) => resource.kind)).not.toContain('dns-record');
    expect((await certificates(aws)).map((item) => item.CertificateArn)).toContain(theirs);

    await cloud.destroy(launchId);
    expect((await certificates(aws)).map((item) => item.CertificateArn)).toEqual([theirs]);
    expect(await zoneRecords(aws, zoneId)).toEqual(before);
  });

  it('destroy keeps a record tandem wrote once another certificate of the name relies on it, and says why', async () => {
    const {cloud, aws, check} = await account(60);
    const zone = (await aws('route53', 'create-hosted-zone', '--name', 'example.me', '--caller-reference', `zone-${Date.now()}`)).HostedZone as Zone;
    const zoneId = zone.Id.replace('/hostedzone/', '');
    const {launchId} = await launchCleanly(cloud, requestSpec('www.example.me', 'shared-later'));
    // After the launch, the operator requests another certificate of the same name: ACM validates it by the same record.
    const theirs = (await check.acm.send(new RequestCertificateCommand({DomainName: 'www.example.me', ValidationMethod: 'DNS', IdempotencyToken: 'later'}))).CertificateArn!;
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed.map((item) => [item.resource.kind, item.code])).toEqual([['dns-record', 'ValidationRecordShared']]);
    expect(destroyed.failed[0].message).toContain(`also validates ${theirs} for www.example.me, so tandem leaves it in zone ${zoneId}`);
    expect(await zoneRecords(aws, zoneId)).toHaveLength(1);
    expect((await certificates(aws)).map((item) => item.CertificateArn)).toEqual([theirs]);
  });
});

describe('a launch killed while it asked for its certificate', () => {
  it('destroy finds the certificate by domain and launch tag, and the validation record it wrote, and leaves another certificate alone', async () => {
    const {aws, check} = await account(60);
    const zone = (await aws('route53', 'create-hosted-zone', '--name', 'example.net', '--caller-reference', `zone-${Date.now()}`)).HostedZone as Zone;
    const zoneId = zone.Id.replace('/hostedzone/', '');
    const home = tempDir('tandem-home-');
    const launchId = newLaunchId();
    // What AWS made of the calls anyway: the certificate, tagged as tandem tags it, and its record.
    const tags = [{Key: 'tandem:launch-id', Value: launchId}];
    const arn = (await check.acm.send(new RequestCertificateCommand({DomainName: 'app.example.net', ValidationMethod: 'DNS', Tags: tags}))).CertificateArn!;
    await writeValidationRecord(check, {CertificateArn: arn, DomainName: 'app.example.net'}, {onNote: () => undefined});
    // Someone else's certificate carries no tag of this launch.
    const other = (await check.acm.send(new RequestCertificateCommand({DomainName: 'api.example.net', ValidationMethod: 'DNS', IdempotencyToken: 'someoneelse'}))).CertificateArn!;
    const store = createJournal(home);
    // The journal a SIGKILL leaves: intents for the two creates whose answers never came back.
    store.start({
      launchId,
      region: 'us-east-1',
      account: check.settings.headers!['x-moto-account-id'],
      partition: 'aws',
      spec: requestSpec('app.example.net'),
      status: 'interrupted',
      resources: [],
      resolved: {},
      pending: [
        {stepId: 'certificate', kinds: ['certificate'], names: {DomainName: 'app.example.net'}},
        {stepId: 'certificate-validation-record', kinds: ['dns-record'], names: {CertificateArn: arn, DomainName: 'app.example.net'}},
      ],
    });

    const adopted = await adoptPending({clients: check, journal: store, launchId});
    expect(adopted.adopted.map((resource) => [resource.kind, resource.id])).toEqual([
      ['certificate', arn],
      ['dns-record', expect.stringMatching(/\.app\.example\.net\.$/) as unknown],
    ]);
    expect(store.read(launchId).pending ?? []).toEqual([]);

    const cloud = await createCloud({...check.settings, endpointUrl: proxy.endpoint}, home, FAST);
    await cloud.destroy(launchId);
    expect((await certificates(aws)).map((item) => item.CertificateArn)).toEqual([other]);
    expect(await zoneRecords(aws, zoneId)).toEqual([]);
  });
});

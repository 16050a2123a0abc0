// The certificate tandem asks ACM for (`loadBalancer.certificate: request`, docs/load-balancer.md):
// the DNS validation record ACM names, written to the Route 53 public zone of the account that
// covers the domain, or handed to the operator to create when there is none; and the deletes of
// both, for rollback and destroy.
import type {CreatedResource} from '../domain/cloud.js';
import {validationZoneName, VALIDATION_RECORD_TTL, type ValidationRecord} from '../domain/controls/load-balancer.js';
import type {AwsClients} from './clients.js';
import {errorCode, StepError} from './errors.js';
import {changeRecordSet, listHostedZonesByName, listRecordSets, type HostedZone} from './route53.js';
import {setTimeout as sleep} from 'node:timers/promises';

/** How long ACM may take to name the validation record after RequestCertificate (seconds, usually). */
export interface RecordPoll {
  tries: number;
  delayMs: number;
}
const DEFAULT_POLL: RecordPoll = {tries: 30, delayMs: 2000};

/**
 * The public hosted zone of the account with the longest name that `domain` ends with, or
 * undefined. Each candidate suffix is asked for by name: ListHostedZonesByName lists zones in name
 * order from the one given, so the first answers show whether that exact zone exists.
 */
export async function coveringZone(clients: AwsClients, domain: string): Promise<HostedZone | undefined> {
  const labels = validationZoneName(domain).split('.');
  for (let start = 0; start < labels.length - 1; start += 1) {
    const suffix = `${labels.slice(start).join('.')}.`;
    const zones = await listHostedZonesByName(clients.settings, suffix, 10);
    const zone = zones.find((item) => item.name.toLowerCase() === suffix && !item.privateZone);
    if (zone) return zone;
  }
  return undefined;
}

/** The record ACM asks for, once DescribeCertificate carries it (bounded: ACM names it within seconds). */
async function recordOf(clients: AwsClients, arn: string, poll: RecordPoll, signal?: AbortSignal): Promise<ValidationRecord> {
  const {send} = await import('./actions.js');
  for (let attempt = 1; ; attempt += 1) {
    const described = await send(clients, 'acm', 'DescribeCertificate', {CertificateArn: arn});
    const options = (described.Certificate as {DomainValidationOptions?: Array<{ResourceRecord?: {Name?: string; Type?: string; Value?: string}}>} | undefined)?.DomainValidationOptions;
    const record = options?.find((option) => option.ResourceRecord?.Name)?.ResourceRecord;
    if (record?.Name && record.Value) return {name: record.Name, type: record.Type ?? 'CNAME', value: record.Value};
    if (attempt >= poll.tries || signal?.aborted) {
      throw new StepError('NoValidationRecord', `ACM named no DNS validation record for ${arn} after ${attempt} looks; delete the certificate or run tandem destroy, then launch again`);
    }
    await sleep(poll.delayMs);
  }
}

export interface ValidationAnswer {
  ResourceRecord: ValidationRecord;
  /** The zone that holds it now; absent when the operator must create it. */
  HostedZoneId?: string;
  ZoneName?: string;
  Written: boolean;
  /** The record was in the zone already (another certificate of the same name uses it): not tandem's. */
  Present?: boolean;
}

/** True when the zone already holds exactly this record. */
async function recordPresent(clients: AwsClients, zone: HostedZone, record: ValidationRecord): Promise<boolean> {
  const sets = await listRecordSets(clients.settings, zone.id, record.name, 1);
  return sets.some((set) => set.name.toLowerCase() === record.name.toLowerCase() && set.type === record.type && set.values.includes(record.value));
}

/** Other certificates of the account for `domain` that ACM may still validate or renew through the same record. */
async function otherCertificates(clients: AwsClients, domain: string, except: string | undefined): Promise<string[]> {
  const {send} = await import('./actions.js');
  const arns: string[] = [];
  let next: string | undefined;
  do {
    const page = await send(clients, 'acm', 'ListCertificates', {CertificateStatuses: ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE'], ...(next ? {NextToken: next} : {})});
    const summaries = (page.CertificateSummaryList as Array<{CertificateArn?: string; DomainName?: string}> | undefined) ?? [];
    arns.push(...summaries.filter((item) => item.DomainName === domain && item.CertificateArn && item.CertificateArn !== except).map((item) => item.CertificateArn!));
    next = typeof page.NextToken === 'string' && page.NextToken ? page.NextToken : undefined;
  } while (next);
  return arns;
}

/** The words that hand the operator the record to create. */
export function recordToCreate(domain: string, record: ValidationRecord): string {
  return `no Route 53 public hosted zone in this account covers ${domain}: create this DNS record where the domain's DNS is served, so ACM can issue the certificate: ${record.name} ${record.type} ${record.value}`;
}

/**
 * The plan's validation step (route53:WriteValidationRecord): reads the record ACM names for the
 * certificate, UPSERTs it into the covering public zone when the account has one, and otherwise
 * tells the operator (onNote) which record to create. Its answer tells the executor what was written.
 */
export async function writeValidationRecord(
  clients: AwsClients,
  input: Record<string, unknown>,
  options: {onNote: (text: string) => void; poll?: RecordPoll; signal?: AbortSignal},
): Promise<ValidationAnswer> {
  const arn = String(input.CertificateArn);
  const domain = String(input.DomainName);
  const record = await recordOf(clients, arn, options.poll ?? DEFAULT_POLL, options.signal);
  const zone = await coveringZone(clients, domain);
  if (!zone) {
    options.onNote(recordToCreate(domain, record));
    return {ResourceRecord: record, Written: false};
  }
  // ACM asks for the same record for every certificate of the same name in the account: one already
  // there validates another certificate too, so it is left as it is and never recorded as tandem's.
  if (await recordPresent(clients, zone, record)) return {ResourceRecord: record, HostedZoneId: zone.id, ZoneName: zone.name, Written: false, Present: true};
  await changeRecordSet(
    clients.settings,
    zone.id,
    'UPSERT',
    {name: record.name, type: record.type, ttl: VALIDATION_RECORD_TTL, values: [record.value]},
    `ACM validation of ${domain}, by tandem`,
  );
  return {ResourceRecord: record, HostedZoneId: zone.id, ZoneName: zone.name, Written: true};
}

/** Deletes the validation record tandem wrote, exactly as written; one already gone answers not found. */
export async function deleteValidationRecord(clients: AwsClients, resource: CreatedResource): Promise<void> {
  const zoneId = resource.extra?.zoneId;
  const value = resource.extra?.value;
  if (!zoneId || !value) throw new StepError('IncompleteRecord', `the journal lacks the zone or value of DNS record ${resource.id}`);
  // Another certificate of the same name validates and renews through this same record: deleting it
  // would stop that one renewing. It stays, and the operator is told why.
  const domain = resource.extra?.domain;
  const others = domain ? await otherCertificates(clients, domain, resource.extra?.certificateArn) : [];
  if (others.length > 0) {
    throw new StepError(
      'ValidationRecordShared',
      `DNS record ${resource.id} also validates ${others.join(', ')} for ${domain ?? 'the same name'}, so tandem leaves it in zone ${zoneId}; delete it yourself once no certificate for that name needs it`,
    );
  }
  const ttl = Number(resource.extra?.ttl ?? VALIDATION_RECORD_TTL);
  await changeRecordSet(
    clients.settings,
    zoneId,
    'DELETE',
    {name: resource.id, type: resource.extra?.type ?? 'CNAME', ttl, values: [value]},
    'tandem removes the ACM validation record it wrote',
  );
}

/** The certificate wait's end without ISSUED, in words that say what the operator can do next. */
export function certificateWaitFailure(error: unknown, context: {seconds: number; domain: string; validation?: Partial<ValidationAnswer>}): StepError {
  const answer = context.validation;
  const record = answer?.ResourceRecord;
  const recordText = record ? `${record.name} ${record.type} ${record.value}` : 'the record aws acm describe-certificate shows';
  const bound = context.seconds < 120 ? `${context.seconds} s` : `${Math.round((context.seconds / 60) * 10) / 10} minutes`;
  const zoneName = answer?.ZoneName ?? answer?.HostedZoneId ?? '';
  const where = answer?.Written
    ? `tandem wrote the validation record ${recordText} into Route 53 zone ${zoneName}; check that the zone is the one the domain's registrar delegates to`
    : answer?.Present
      ? `Route 53 zone ${zoneName} already holds the validation record ${recordText}; check that the zone is the one the domain's registrar delegates to`
      : `it waits for the DNS record ${recordText} to be created where the domain's DNS is served`;
  const next = `create the record (ACM asks for the same record when this account requests ${context.domain} again), then launch again, with a longer loadBalancer.validationWaitMinutes if DNS is slow; or give the ARN of an ISSUED certificate as loadBalancer.certificate`;
  if (errorCode(error) === 'TimeoutError') {
    return new StepError('CertificateNotIssued', `ACM did not issue the certificate for ${context.domain} within ${bound}: ${where}. To go on: ${next}.`);
  }
  return new StepError('CertificateValidationFailed', `ACM could not validate the certificate for ${context.domain} (${errorCode(error)}): ${where}. To go on: ${next}.`);
}

// ---------------------------------------------------------------------------------------------
// Found again after a kill (pending.ts): a RequestCertificate or a record write whose answer the
// journal never got.

type Found = Pick<CreatedResource, 'kind' | 'id'> & {extra?: Record<string, string>};
const CERTIFICATE_STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];

/** The certificates for `domain` that carry this launch's tag (ACM lists every certificate of the region; the tag tells ours). */
export async function launchCertificates(clients: AwsClients, launchId: string, domain: string | undefined, tag: string): Promise<Found[]> {
  if (!domain) return [];
  const {send} = await import('./actions.js');
  const found: Found[] = [];
  let next: string | undefined;
  do {
    const page = await send(clients, 'acm', 'ListCertificates', {CertificateStatuses: CERTIFICATE_STATUSES, ...(next ? {NextToken: next} : {})});
    const summaries = (page.CertificateSummaryList as Array<{CertificateArn?: string; DomainName?: string}> | undefined) ?? [];
    for (const summary of summaries.filter((item) => item.CertificateArn && item.DomainName === domain)) {
      const tags = await send(clients, 'acm', 'ListTagsForCertificate', {CertificateArn: summary.CertificateArn});
      const own = ((tags.Tags as Array<{Key?: string; Value?: string}> | undefined) ?? []).some((item) => item.Key === tag && item.Value === launchId);
      if (own) found.push({kind: 'certificate', id: summary.CertificateArn!, extra: {domain}});
    }
    next = typeof page.NextToken === 'string' && page.NextToken ? page.NextToken : undefined;
  } while (next);
  return found;
}

/**
 * The validation record of this launch's certificate, if it is in the zone tandem would have
 * written it to. Its value is ACM's for this certificate, so a record that matches was written
 * for it, and goes with it.
 */
export async function launchValidationRecord(clients: AwsClients, arn: string | undefined, domain: string | undefined): Promise<Found[]> {
  if (!arn || !domain) return [];
  const record = await recordOf(clients, arn, {tries: 1, delayMs: 0}).catch(() => undefined);
  const zone = record ? await coveringZone(clients, domain) : undefined;
  if (!record || !zone) return [];
  const sets = await listRecordSets(clients.settings, zone.id, record.name, 1);
  const same = sets.find((set) => set.name.toLowerCase() === record.name.toLowerCase() && set.type === record.type && set.values.includes(record.value));
  // A record another certificate of the name may rely on was perhaps not this launch's to write.
  if (!same || (await otherCertificates(clients, domain, arn)).length > 0) return [];
  return [{kind: 'dns-record', id: record.name, extra: {zoneId: zone.id, type: record.type, value: record.value, ttl: String(same.ttl), domain, certificateArn: arn}}];
}

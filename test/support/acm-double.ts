// ACM's DNS validation as AWS documents it, for the fault proxy: a requested certificate stays
// PENDING_VALIDATION until the CNAME record ACM names exists in DNS, then it is ISSUED
// (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html). moto 5.2.1 does neither:
// it issues any requested certificate once MOTO_ACM_VALIDATION_WAIT seconds (60 by default) have
// passed, record or not. This interceptor rewrites DescribeCertificate's answer from the record
// alone: ISSUED (validation SUCCESS) when the record is in one of the account's moto Route 53
// zones, PENDING_VALIDATION when it is not. Other calls pass through unchanged.
import type {Interceptor, ProxiedCall} from './fault-proxy.js';
import {listHostedZonesByName, listRecordSets} from '../../source/aws/route53.js';
import type {AwsSettings} from '../../source/aws/clients.js';

type Option = {ResourceRecord?: {Name?: string; Value?: string}; ValidationStatus?: string};
type Described = {Certificate?: {Status?: string; Type?: string; DomainValidationOptions?: Option[]}};

const trimDot = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** True when some zone of the account holds `name` as a CNAME to `value`. */
async function recordExists(settings: AwsSettings, name: string, value: string): Promise<boolean> {
  const zones = await listHostedZonesByName(settings, '', 100);
  for (const zone of zones.filter((item) => trimDot(name).endsWith(trimDot(item.name)))) {
    const sets = await listRecordSets(settings, zone.id, name, 5);
    if (sets.some((set) => trimDot(set.name) === trimDot(name) && set.type === 'CNAME' && set.values.some((item) => trimDot(item) === trimDot(value)))) return true;
  }
  return false;
}

/** The interceptor for one moto endpoint (the proxy's upstream); `accountId` when the proxy adds the account itself. */
export function acmValidatesByDns(upstream: string, accountId?: string): Interceptor {
  const settingsFor = (call: ProxiedCall): AwsSettings => {
    // A proxy started with {accountId} adds the header on the way out, not to the call seen here.
    const account = call.headers['x-moto-account-id'] ?? accountId;
    return {
      region: 'us-east-1',
      endpointUrl: upstream,
      headers: typeof account === 'string' ? {'x-moto-account-id': account} : {},
      credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
    };
  };
  return {
    response: async (call, answer) => {
      if (call.service !== 'acm' || call.action !== 'DescribeCertificate' || !answer.startsWith('{')) return undefined;
      const described = JSON.parse(answer) as Described;
      const certificate = described.Certificate;
      if (!certificate || certificate.Type !== 'AMAZON_ISSUED' || !['ISSUED', 'PENDING_VALIDATION'].includes(String(certificate.Status))) return undefined;
      const options = certificate.DomainValidationOptions ?? [];
      let validated = options.length > 0;
      for (const option of options) {
        const record = option.ResourceRecord;
        const present = Boolean(record?.Name && record.Value) && (await recordExists(settingsFor(call), record!.Name!, record!.Value!));
        option.ValidationStatus = present ? 'SUCCESS' : 'PENDING_VALIDATION';
        validated &&= present;
      }
      certificate.Status = validated ? 'ISSUED' : 'PENDING_VALIDATION';
      return JSON.stringify(described);
    },
  };
}

// KMS keys from two paginated lists: ListKeys (ids and ARNs) and ListAliases (names, and which
// keys AWS manages: the alias/aws/ namespace is reserved for them). Nothing per key here: state,
// usage and rotation are read by kmsKeyDetails for the keys on screen, and the plan reads the
// chosen key again before launch.
import type {AwsClients} from './clients.js';
import type {DiscoveredKey, KmsKeyDetails, OnPage} from '../domain/cloud.js';
import {call, describeAwsError} from './errors.js';
import {mapLimit} from './map-limit.js';
import {AWS_MANAGED_ALIAS} from '../domain/controls/storage.js';
import {pagesOf} from './pages.js';

/** ListKeys takes Limit up to 1000, ListAliases up to 100. */
const KEY_PAGES = {first: 1000, rest: 1000};
const ALIAS_PAGES = {first: 100, rest: 100};
/** Detail lookups for a visible page stay polite to the API. */
const DETAIL_CONCURRENCY = 5;

const EBS_ALIAS = AWS_MANAGED_ALIAS;

export async function discoverKmsKeys(clients: AwsClients, onPage?: OnPage<DiscoveredKey>): Promise<DiscoveredKey[]> {
  const {kms} = clients;
  const {ListKeysCommand, ListAliasesCommand} = await import('@aws-sdk/client-kms');
  const arns = new Map<string, string>();
  const aliasesByKey = new Map<string, string[]>();
  let ebsAlias: {arn?: string; target?: string} | undefined;
  let aliasesRead = false;
  let arnPrefix = '';

  const soFar = (): DiscoveredKey[] => {
    // A key without an alias is listed only once every alias is known: its option is named by
    // its first alias, and a name that changed under the cursor would lose the operator's place.
    const ids = new Set([...aliasesByKey.keys(), ...(aliasesRead ? arns.keys() : [])]);
    const found: DiscoveredKey[] = [];
    for (const id of ids) {
      const aliases = aliasesByKey.get(id) ?? [];
      const managedBy = aliases.some((alias) => alias.startsWith('alias/aws/')) ? 'AWS' : 'Customer';
      // Only aws/ebs among AWS managed keys can encrypt an EBS volume.
      if (managedBy === 'AWS' && !aliases.includes(EBS_ALIAS)) continue;
      found.push({id, arn: arns.get(id) ?? (arnPrefix ? `${arnPrefix}:key/${id}` : ''), aliases, managedBy});
    }
    // AWS creates the aws/ebs key on first use, so a fresh account lists the alias without a
    // key (or no alias at all); it is still a valid choice.
    if (!found.some((key) => key.aliases.includes(EBS_ALIAS))) {
      const target = ebsAlias?.target;
      const arn = !arnPrefix ? '' : target ? `${arnPrefix}:key/${target}` : `${arnPrefix}:${EBS_ALIAS}`;
      found.push({id: target ?? EBS_ALIAS, arn, aliases: [EBS_ALIAS], managedBy: 'AWS'});
    }
    const label = (key: DiscoveredKey) => key.aliases[0] ?? `~${key.id}`;
    return found.sort((a, b) => Number(b.managedBy === 'AWS') - Number(a.managedBy === 'AWS') || label(a).localeCompare(label(b)));
  };
  const report = () => onPage?.(soFar());
  // 'arn:aws:kms:<region>:<account>' from any ARN we were given.
  const learnPrefix = (arn: string | undefined) => {
    if (!arnPrefix && arn) arnPrefix = arn.split(':').slice(0, 5).join(':');
  };

  await Promise.all([
    call('ListKeys', async () => {
      const pages = pagesOf(
        (Marker, Limit) => kms.send(new ListKeysCommand({Marker, Limit})),
        (page) => (page.Truncated ? page.NextMarker : undefined),
        KEY_PAGES,
      );
      for await (const page of pages) {
        for (const key of page.Keys ?? []) {
          if (!key.KeyId) continue;
          arns.set(key.KeyId, key.KeyArn ?? '');
          learnPrefix(key.KeyArn);
        }
        report();
      }
    }),
    call('ListAliases', async () => {
      const pages = pagesOf(
        (Marker, Limit) => kms.send(new ListAliasesCommand({Marker, Limit})),
        (page) => (page.Truncated ? page.NextMarker : undefined),
        ALIAS_PAGES,
      );
      for await (const page of pages) {
        for (const alias of page.Aliases ?? []) {
          learnPrefix(alias.AliasArn);
          if (alias.AliasName === EBS_ALIAS) ebsAlias = {arn: alias.AliasArn, target: alias.TargetKeyId};
          if (!alias.AliasName || !alias.TargetKeyId) continue;
          aliasesByKey.set(alias.TargetKeyId, [...(aliasesByKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
        }
        report();
      }
      aliasesRead = true;
      report();
    }),
  ]);
  return soFar();
}

/** DescribeKey, then GetKeyRotationStatus for customer keys; a denied key says why instead of failing the rest. */
export async function readKmsKeyDetails(clients: AwsClients, ids: string[]): Promise<KmsKeyDetails[]> {
  const {kms} = clients;
  const {DescribeKeyCommand, GetKeyRotationStatusCommand} = await import('@aws-sdk/client-kms');
  return mapLimit(ids, DETAIL_CONCURRENCY, async (id): Promise<KmsKeyDetails> => {
    let details: KmsKeyDetails;
    try {
      const meta = (await kms.send(new DescribeKeyCommand({KeyId: id}))).KeyMetadata;
      details = {
        id,
        ...(meta?.KeyId ? {keyId: meta.KeyId} : {}),
        ...(meta?.KeyState ? {state: meta.KeyState} : {}),
        ...(meta?.KeyUsage ? {usage: meta.KeyUsage} : {}),
        ...(meta?.KeySpec ? {spec: meta.KeySpec} : {}),
        ...(meta?.KeyManager ? {managedBy: meta.KeyManager === 'AWS' ? 'AWS' : 'Customer'} : {}),
      };
    } catch (error) {
      return {id, error: describeAwsError(error)};
    }
    // moto reports its aws/* keys as CUSTOMER; the alias namespace is the better witness.
    if (id.startsWith('alias/aws/')) details.managedBy = 'AWS';
    if (details.managedBy !== 'Customer' || (details.spec && details.spec !== 'SYMMETRIC_DEFAULT')) return details;
    try {
      const rotation = await kms.send(new GetKeyRotationStatusCommand({KeyId: details.keyId ?? id}));
      return {...details, rotation: Boolean(rotation.KeyRotationEnabled)};
    } catch {
      return details; // denied per key: rotation stays unknown
    }
  });
}

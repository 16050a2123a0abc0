// Roles EC2 can assume, with their instance profiles, in pages. ListInstanceProfiles returns
// every profile with its roles, so one paginated call replaces a ListInstanceProfilesForRole per
// role; ListRoles adds the roles that have no profile yet. Both run at once.
//
// Neither call returns a role's tags (IAM's list calls leave them out), so filtering roles by tag
// (team=web) needs ListRoleTags, one call per role. That is never part of listing: the wizard asks
// for tags only when a role filter contains '=', and they are read a few roles at a time.
import type {Role} from '@aws-sdk/client-iam';
import type {AwsClients} from './clients.js';
import type {DiscoveredRole, OnPage, RoleTags} from '../domain/cloud.js';
import {call, isNotFound} from './errors.js';
import {allowsEc2Assume, decodePolicy} from './discover-policy.js';
import {mapLimit} from './map-limit.js';
import {pagesOf} from './pages.js';

/** IAM list calls take MaxItems up to 1000. */
const ROLE_PAGES = {first: 100, rest: 1000};
const PROFILE_PAGES = {first: 1000, rest: 1000};

export async function discoverInstanceRoles(clients: AwsClients, onPage?: OnPage<DiscoveredRole>): Promise<DiscoveredRole[]> {
  const {iam} = clients;
  const {ListRolesCommand, ListInstanceProfilesCommand} = await import('@aws-sdk/client-iam');
  const roles = new Map<string, Role>();
  const profilesByRole = new Map<string, string[]>();
  let profilesRead = false;

  const consider = (role: Role) => {
    if (role.RoleName && !roles.has(role.RoleName) && allowsEc2Assume(decodePolicy(role.AssumeRolePolicyDocument))) roles.set(role.RoleName, role);
  };
  // Until every profile is read, a role's profiles are left out (unknown) rather than given as
  // none: the first page of roles is worth showing before the last page of profiles arrives.
  const soFar = (): DiscoveredRole[] =>
    [...roles.values()]
      .map((role) => {
        const name = role.RoleName as string;
        return {name, arn: role.Arn ?? '', ...(profilesRead ? {instanceProfiles: profilesByRole.get(name) ?? []} : {})};
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  const report = () => {
    if (roles.size > 0) onPage?.(soFar());
  };

  const [profiles, listed] = await Promise.allSettled([
    call('ListInstanceProfiles', async () => {
      const pages = pagesOf(
        (Marker, MaxItems) => iam.send(new ListInstanceProfilesCommand({Marker, MaxItems})),
        (page) => (page.IsTruncated ? page.Marker : undefined),
        PROFILE_PAGES,
      );
      for await (const page of pages) {
        for (const profile of page.InstanceProfiles ?? []) {
          for (const role of profile.Roles ?? []) {
            if (!role.RoleName || !profile.InstanceProfileName) continue;
            consider(role);
            profilesByRole.set(role.RoleName, [...(profilesByRole.get(role.RoleName) ?? []), profile.InstanceProfileName]);
          }
        }
        report();
      }
      profilesRead = true;
      report();
    }),
    call('ListRoles', async () => {
      const pages = pagesOf(
        (Marker, MaxItems) => iam.send(new ListRolesCommand({Marker, MaxItems})),
        (page) => (page.IsTruncated ? page.Marker : undefined),
        ROLE_PAGES,
      );
      for await (const page of pages) {
        for (const role of page.Roles ?? []) consider(role);
        report();
      }
    }),
  ]);
  // ListRoles decides whether there is a list at all; its error is the one to show.
  if (listed.status === 'rejected') throw listed.reason;
  if (profiles.status === 'rejected') throw profiles.reason;
  for (const names of profilesByRole.values()) names.sort();
  return soFar();
}

/** ListRoleTags calls in flight at once: a thousand roles must not trip IAM's request rate limit. */
export const ROLE_TAG_CONCURRENCY = 8;
/** Tags found so far are handed over after every this many roles, so matches appear as they come. */
const ROLE_TAG_REPORT_EVERY = 25;
/** A role holds at most 50 tags; ListRoleTags returns up to 100 in one page. */
const TAG_PAGES = {first: 100, rest: 100};

/** The tags of each named role, as 'key=value', in the order the names came. */
export async function discoverRoleTags(clients: AwsClients, names: string[], onPage?: OnPage<RoleTags>): Promise<RoleTags[]> {
  const {iam} = clients;
  const {ListRoleTagsCommand} = await import('@aws-sdk/client-iam');
  const found: RoleTags[] = [];
  let reported = 0;
  const tagsOf = (name: string) =>
    call('ListRoleTags', async () => {
      const tags: string[] = [];
      const pages = pagesOf(
        (Marker, MaxItems) => iam.send(new ListRoleTagsCommand({RoleName: name, Marker, MaxItems})),
        (page) => (page.IsTruncated ? page.Marker : undefined),
        TAG_PAGES,
      );
      for await (const page of pages) for (const tag of page.Tags ?? []) if (tag.Key) tags.push(`${tag.Key}=${tag.Value ?? ''}`);
      return tags;
    });
  // A role deleted since it was listed has no tags to match; any other failure ends the lookup.
  const tagsOrNone = (name: string) =>
    tagsOf(name).catch((error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    });
  return mapLimit(names, ROLE_TAG_CONCURRENCY, async (name) => {
    const entry = {name, tags: await tagsOrNone(name)};
    found.push(entry);
    if (found.length - reported >= ROLE_TAG_REPORT_EVERY && found.length < names.length) {
      reported = found.length;
      onPage?.([...found]);
    }
    return entry;
  });
}

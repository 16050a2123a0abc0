// Roles EC2 can assume, with their instance profiles, in pages. ListInstanceProfiles returns
// every profile with its roles, so one paginated call replaces a ListInstanceProfilesForRole per
// role; ListRoles adds the roles that have no profile yet. Both run at once.
import type {Role} from '@aws-sdk/client-iam';
import type {AwsClients} from './clients.js';
import type {DiscoveredRole, OnPage} from '../domain/cloud.js';
import {call} from './errors.js';
import {allowsEc2Assume, decodePolicy} from './discover-policy.js';
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

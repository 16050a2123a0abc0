// The launch journal: one record per launch under TANDEM_HOME/launches/, written before each
// next step starts, so `tandem destroy` can always clean up, even after a crash.
import type {CreatedResource, LaunchStatus, VerificationResult} from '../domain/cloud.js';
import type {ResourceKind} from '../domain/plan-types.js';
import type {LaunchSpec} from '../domain/spec.js';

export type RecordStatus = 'launching' | LaunchStatus | 'destroyed';

/** Ids the launch resolved or created, which verification checks against. */
export interface ResolvedIds {
  imageId?: string;
  vpcId?: string;
  subnetId?: string;
  securityGroupId?: string;
  roleName?: string;
  instanceProfileName?: string;
  /** Key ARN or id that encrypts the root volume (resolved from an alias). */
  kmsKeyId?: string;
  keyName?: string;
  keyPath?: string;
  /** SHA-256 of the private key file as tandem wrote it: only that file is ever removed again. */
  keyFileSha256?: string;
  keyFingerprint?: string;
  hostId?: string;
  instanceId?: string;
  /** The EC2 Instance Connect prefix list port 22 was opened to. */
  instanceConnectPrefixListId?: string;
  /** The flow log the launch turned on for its VPC. */
  flowLogId?: string;
}

/**
 * A create call that was sent but whose answer has not been recorded yet. Written before the call
 * goes out, so if tandem dies (or the answer is lost) while AWS is making the resource, rollback
 * and destroy know to look for it by its launch-id tag (or, for IAM and aliases, by name + tag).
 */
export interface PendingCreate {
  stepId: string;
  kinds: ResourceKind[];
  /** Names the request chose (RoleName, InstanceProfileName, KeyName, AliasName, GroupName). */
  names: Record<string, string>;
}

export interface LaunchRecord {
  launchId: string;
  createdAt: string;
  updatedAt: string;
  region: string;
  endpointUrl?: string;
  /** AWS account the launch ran in, when known. */
  account?: string;
  /** AWS partition of the credentials (aws, aws-cn, aws-us-gov…), when known; absent in older records. */
  partition?: string;
  spec: LaunchSpec;
  /** The address SSH was opened to when the profile said `ssh: me`, and the service that found it. */
  myAddress?: {cidr: string; url: string};
  status: RecordStatus;
  /** In creation order; teardown goes in dependency order (rollback.ts teardownOrder). */
  resources: CreatedResource[];
  resolved: ResolvedIds;
  /** Create calls in flight or with a lost answer; cleared once resolved. Absent in older records. */
  pending?: PendingCreate[];
  lastVerification?: VerificationResult[];
}

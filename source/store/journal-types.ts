// The launch journal: one record per launch under TANDEM_HOME/launches/, written before each
// next step starts, so `tandem destroy` can always clean up, even after a crash.
import type {CreatedResource, LaunchStatus, VerificationResult} from '../domain/cloud.js';
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
  keyFingerprint?: string;
  hostId?: string;
  instanceId?: string;
}

export interface LaunchRecord {
  launchId: string;
  createdAt: string;
  updatedAt: string;
  region: string;
  endpointUrl?: string;
  /** AWS account the launch ran in, when known. */
  account?: string;
  spec: LaunchSpec;
  status: RecordStatus;
  /** In creation order; teardown goes newest first. */
  resources: CreatedResource[];
  resolved: ResolvedIds;
  lastVerification?: VerificationResult[];
}

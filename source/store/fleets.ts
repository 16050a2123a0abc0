// Fleet records: one JSON file per fleet under <home>/fleets/, written atomically (mode 0600)
// before each StackSets call goes out, so a tandem killed mid-operation leaves the operation's id
// behind and the next `tandem fleet` command waits for that operation instead of starting it again.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from '../commands/types.js';
import type {VerificationResult} from '../domain/cloud.js';
import {isFleetName, type FleetTarget, type OperationPreferences, type PermissionModel, type TargetResult} from '../domain/fleet.js';
import {NO_ACCESS, type LaunchSpec} from '../domain/spec.js';
import {ensureDir} from './home.js';
import {writeAtomically} from './journal.js';

export type FleetStatus = 'deploying' | 'deployed' | 'partial' | 'failed' | 'rolled-back' | 'destroying' | 'destroyed';
export type FleetOperationKind = 'create-stack-set' | 'update-stack-set' | 'create-instances' | 'delete-instances';

/** A StackSets call sent (or about to be): its id is known before it goes out. */
export interface FleetOperation {
  kind: FleetOperationKind;
  /** Our OperationId (StackSets takes it as an idempotency token); AWS's answer may replace it. */
  operationId?: string;
  startedAt: string;
  targets: FleetTarget[];
}

export interface FleetRecord {
  name: string;
  createdAt: string;
  updatedAt: string;
  /** The profile name or file the template came from. */
  profile: string;
  spec: LaunchSpec;
  /**
   * Administration account, its partition, region and endpoint: where the StackSet lives, and the
   * only place verify, destroy and a later deploy act. Records written before the partition was
   * kept have none; the region's partition stands for it.
   */
  account?: string;
  partition?: string;
  region: string;
  endpointUrl?: string;
  permissionModel: PermissionModel;
  accounts: string[];
  orgUnits: string[];
  regions: string[];
  preferences: OperationPreferences;
  status: FleetStatus;
  /** SHA-256 of the template last sent, to tell whether the StackSet needs an update. */
  templateSha256?: string;
  /** True once this fleet created the StackSet (a rollback then deletes it again). */
  stackSetCreated: boolean;
  /** The operation in flight; cleared when its outcome is recorded. */
  operation?: FleetOperation;
  /** The latest outcome per account/region. */
  targets: TargetResult[];
  lastVerification?: Array<FleetTarget & {results: VerificationResult[]; problem?: string}>;
}

export interface FleetStore {
  dir: string;
  exists(name: string): boolean;
  read(name: string): FleetRecord;
  write(record: FleetRecord): FleetRecord;
  update(name: string, change: (record: FleetRecord) => void): FleetRecord;
  list(): FleetRecord[];
}

function parse(text: string): FleetRecord | undefined {
  try {
    const value = JSON.parse(text) as FleetRecord;
    if (!(value && typeof value === 'object' && typeof value.name === 'string' && Array.isArray(value.targets))) return undefined;
    // Fleets recorded before `access` existed launched with no way in but SSH.
    if (value.spec && typeof value.spec === 'object' && !value.spec.access) value.spec.access = {...NO_ACCESS};
    return value;
  } catch {
    return undefined;
  }
}

export function openFleetStore(home: string): FleetStore {
  const dir = path.join(home, 'fleets');
  const fileOf = (name: string) => {
    if (!isFleetName(name)) throw new UsageError(`"${name}" is not a fleet name (a letter, then letters, digits and hyphens); run tandem fleet list`);
    return path.join(dir, `${name}.json`);
  };
  const read = (name: string): FleetRecord => {
    let text: string;
    try {
      text = readFileSync(fileOf(name), 'utf8');
    } catch {
      throw new UsageError(`no fleet ${name} in ${dir}; run tandem fleet list`);
    }
    const record = parse(text);
    if (!record) throw new UsageError(`the record of fleet ${name} (${fileOf(name)}) is not readable JSON`);
    return record;
  };
  const write = (record: FleetRecord): FleetRecord => {
    ensureDir(dir);
    const next = {...record, updatedAt: new Date().toISOString()};
    writeAtomically(fileOf(record.name), `${JSON.stringify(next, null, 2)}\n`);
    return next;
  };
  return {
    dir,
    exists(name) {
      try {
        readFileSync(fileOf(name));
        return true;
      } catch (error) {
        if (error instanceof UsageError) throw error;
        return false;
      }
    },
    read,
    write,
    update(name, change) {
      const copy = structuredClone(read(name));
      change(copy);
      return write(copy);
    },
    list() {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return [];
      }
      const records: FleetRecord[] = [];
      for (const name of names) {
        if (!name.endsWith('.json') || !isFleetName(name.slice(0, -5))) continue;
        try {
          const record = parse(readFileSync(path.join(dir, name), 'utf8'));
          if (record) records.push(record);
        } catch {
          // removed between readdir and read
        }
      }
      return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  };
}

// AWS Backup as AWS answers it, where moto 5.2.1 does not (docs/design.md section 5). moto has
// backup vaults and plans, but no backup selections: CreateBackupSelection, GetBackupSelection,
// ListBackupSelections and DeleteBackupSelection are routed to its plan handler and answered
// wrongly, and ListRecoveryPointsByBackupVault does not exist. The fault proxy asks this double
// first; it answers those calls with the request and response shapes of the AWS Backup API
// reference and keeps the selections it made, so Get, List and Delete agree with Create. It also
// refuses what AWS refuses and moto allows: deleting a plan that still has selections.
//
// Backup is a REST-JSON service: the action is the method and path, not a header or a form field.
import {randomUUID} from 'node:crypto';
import http from 'node:http';

export interface BackupCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The account the call is for (x-moto-account-id), and its region from the signature. */
  account: string;
  region: string;
}

export interface BackupAnswer {
  status: number;
  body: string;
  /** AWS Backup's error type, sent as x-amzn-ErrorType as AWS does. */
  errorType?: string;
}

/** What AWS Backup keeps of a selection (GetBackupSelection's answer). */
interface Selection {
  SelectionId: string;
  BackupPlanId: string;
  BackupSelection: {SelectionName?: string; IamRoleArn?: string; [key: string]: unknown};
  CreationDate: number;
  CreatorRequestId?: string;
}

const ROUTES: Array<[method: string, pattern: RegExp, action: string]> = [
  ['PUT', /^\/backup\/plans\/([^/]+)\/selections\/?$/, 'CreateBackupSelection'],
  ['GET', /^\/backup\/plans\/([^/]+)\/selections\/?$/, 'ListBackupSelections'],
  ['GET', /^\/backup\/plans\/([^/]+)\/selections\/([^/]+)\/?$/, 'GetBackupSelection'],
  ['DELETE', /^\/backup\/plans\/([^/]+)\/selections\/([^/]+)\/?$/, 'DeleteBackupSelection'],
  ['GET', /^\/backup-vaults\/([^/]+)\/recovery-points\/?$/, 'ListRecoveryPointsByBackupVault'],
  ['PUT', /^\/backup\/plans\/?$/, 'CreateBackupPlan'],
  ['GET', /^\/backup\/plans\/?$/, 'ListBackupPlans'],
  ['GET', /^\/backup\/plans\/([^/]+)\/?$/, 'GetBackupPlan'],
  ['DELETE', /^\/backup\/plans\/([^/]+)\/?$/, 'DeleteBackupPlan'],
  ['PUT', /^\/backup-vaults\/([^/]+)\/?$/, 'CreateBackupVault'],
  ['GET', /^\/backup-vaults\/?$/, 'ListBackupVaults'],
  ['GET', /^\/backup-vaults\/([^/]+)\/?$/, 'DescribeBackupVault'],
  ['DELETE', /^\/backup-vaults\/([^/]+)\/?$/, 'DeleteBackupVault'],
];

/** The AWS Backup action a REST call names, and the path's ids (plan, selection or vault). */
export function backupRoute(method: string, url: string): {action: string; ids: string[]} {
  const path = url.split('?')[0];
  for (const [verb, pattern, action] of ROUTES) {
    const match = verb === method ? pattern.exec(path) : null;
    if (match) return {action, ids: match.slice(1).map(decodeURIComponent)};
  }
  return {action: 'unknown', ids: []};
}

const json = (status: number, value: unknown): BackupAnswer => ({status, body: JSON.stringify(value)});
/** AWS Backup's error shape: the type in x-amzn-ErrorType and in the body, with Message. */
const error = (type: string, message: string, status = 400): BackupAnswer => ({status, errorType: type, body: JSON.stringify({Code: type, Message: message, Type: 'User'})});

/** The 1–50 characters AWS Backup allows in a selection name. */
const SELECTION_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;

export interface BackupDouble {
  /** The answer to a call moto cannot give, or undefined to pass it on. */
  answer(call: BackupCall, upstream: string): Promise<BackupAnswer | undefined>;
  /** Selections kept, by account/region (for tests that look behind the API). */
  selections(account: string, region: string): Selection[];
}

/** Asks moto (straight, not through the proxy) whether what a GET of `path` reads exists. */
function exists(call: BackupCall, upstream: string, path: string): Promise<boolean> {
  const target = new URL(upstream);
  return new Promise((resolve) => {
    const request = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        method: 'GET',
        path,
        headers: {...call.headers, host: target.host, 'content-length': '0', 'x-moto-account-id': call.account},
      },
      (reply) => {
        reply.resume();
        reply.on('end', () => resolve((reply.statusCode ?? 500) < 300));
      },
    );
    request.on('error', () => resolve(false));
    request.end();
  });
}

const planExists = (call: BackupCall, upstream: string, planId: string) => exists(call, upstream, `/backup/plans/${encodeURIComponent(planId)}/`);
const vaultExists = (call: BackupCall, upstream: string, name: string) => exists(call, upstream, `/backup-vaults/${encodeURIComponent(name)}`);

export function createBackupDouble(): BackupDouble {
  const kept = new Map<string, Selection[]>();
  const of = (call: Pick<BackupCall, 'account' | 'region'>) => {
    const key = `${call.account}/${call.region}`;
    if (!kept.has(key)) kept.set(key, []);
    return kept.get(key)!;
  };
  const notFound = (what: string) => error('ResourceNotFoundException', `${what} not found`);

  const handlers: Record<string, (call: BackupCall, ids: string[], upstream: string) => Promise<BackupAnswer | undefined>> = {
    async CreateBackupSelection(call, [planId], upstream) {
      const input = JSON.parse(call.body || '{}') as {BackupSelection?: Selection['BackupSelection']; CreatorRequestId?: string};
      const selection = input.BackupSelection;
      if (!selection) return error('MissingParameterValueException', 'BackupSelection is required');
      if (!selection.IamRoleArn) return error('InvalidParameterValueException', 'IamRoleArn is required');
      if (!SELECTION_NAME.test(String(selection.SelectionName ?? ''))) return error('InvalidParameterValueException', `Invalid selection name: ${String(selection.SelectionName)}`);
      if (!(await planExists(call, upstream, planId))) return notFound(`Backup plan ${planId}`);
      const list = of(call);
      const twin = list.find((item) => item.BackupPlanId === planId && item.BackupSelection.SelectionName === selection.SelectionName);
      // A retried request with the same CreatorRequestId gets the selection it already made.
      if (twin && input.CreatorRequestId && twin.CreatorRequestId === input.CreatorRequestId)
        return json(200, {BackupPlanId: planId, CreationDate: twin.CreationDate, SelectionId: twin.SelectionId});
      if (twin) return error('AlreadyExistsException', `Backup selection ${String(selection.SelectionName)} already exists in plan ${planId}`);
      const made: Selection = {
        SelectionId: randomUUID(),
        BackupPlanId: planId,
        BackupSelection: selection,
        CreationDate: Date.now() / 1000,
        ...(input.CreatorRequestId ? {CreatorRequestId: input.CreatorRequestId} : {}),
      };
      list.push(made);
      return json(200, {BackupPlanId: planId, CreationDate: made.CreationDate, SelectionId: made.SelectionId});
    },
    async GetBackupSelection(call, [planId, selectionId]) {
      const found = of(call).find((item) => item.BackupPlanId === planId && item.SelectionId === selectionId);
      return found ? json(200, found) : notFound(`Backup selection ${selectionId}`);
    },
    async ListBackupSelections(call, [planId], upstream) {
      if (!(await planExists(call, upstream, planId))) return notFound(`Backup plan ${planId}`);
      const list = of(call).filter((item) => item.BackupPlanId === planId);
      return json(200, {
        BackupSelectionsList: list.map((item) => ({
          BackupPlanId: item.BackupPlanId,
          CreationDate: item.CreationDate,
          ...(item.CreatorRequestId ? {CreatorRequestId: item.CreatorRequestId} : {}),
          IamRoleArn: item.BackupSelection.IamRoleArn,
          SelectionId: item.SelectionId,
          SelectionName: item.BackupSelection.SelectionName,
        })),
      });
    },
    async DeleteBackupSelection(call, [planId, selectionId]) {
      const list = of(call);
      const at = list.findIndex((item) => item.BackupPlanId === planId && item.SelectionId === selectionId);
      if (at < 0) return notFound(`Backup selection ${selectionId}`);
      list.splice(at, 1);
      return {status: 200, body: ''};
    },
    // No backup job ever runs against moto, so a vault never holds a recovery point.
    async ListRecoveryPointsByBackupVault(call, [name], upstream) {
      if (!(await vaultExists(call, upstream, name))) return notFound(`Backup vault ${name}`);
      return json(200, {RecoveryPoints: []});
    },
    // AWS refuses to delete a plan while resources are still assigned to it; moto deletes it.
    async DeleteBackupPlan(call, [planId]) {
      if (!of(call).some((item) => item.BackupPlanId === planId)) return undefined;
      return error('InvalidRequestException', 'Related backup plan selections must be deleted prior to backup plan deletion');
    },
  };

  return {
    async answer(call, upstream) {
      const {action, ids} = backupRoute(call.method, call.path);
      return handlers[action]?.(call, ids, upstream);
    },
    selections: (account, region) => [...of({account, region})],
  };
}

// A small HTTP proxy between the SDK and moto that can answer chosen calls with faults:
// throttling, 5xx, connection resets, delays, the "Invalid IAM Instance Profile name" race,
// DryRun answers moto cannot give, and any error on any action. Everything else (including the
// x-moto-account-id header) passes through unchanged. A proxy started with {accountId} adds
// x-moto-account-id to every request, which gives a child process (the built CLI, which has no
// way to send that header) its own moto account without any test-only code in tandem itself.
import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {inject} from 'vitest';
import {backupRoute, createBackupDouble, type BackupAnswer} from './backup-double.js';
import {scanRequestBody, type ScanTally} from './request-scan.js';
import {strictRefusal} from './strict-aws.js';

export type FaultKind =
  | 'throttle'
  | 'server-error'
  | 'reset'
  | 'delay'
  | 'invalid-instance-profile'
  | 'dry-run-ok'
  | 'unauthorized'
  | 'error'
  /** HTTP 429 Too Many Requests with the service's throttling code. */
  | 'too-many-requests'
  /** HTTP 503 Service Unavailable. */
  | 'unavailable'
  /** No answer for delayMs, then the connection is dropped; the request never reaches moto. */
  | 'stall'
  /** moto's real answer, but the connection is cut halfway through the body. */
  | 'cut-body'
  /** A clock-skew rejection (RequestTimeTooSkewed, or code/message given), dated `skewMs` away. */
  | 'clock-skew'
  /** moto's real answer with `replace` pairs applied to the body (e.g. an instance state). */
  | 'rewrite-body'
  /** HTTP 200 with `body`, and the request never reaches moto: a call answered "done" that did nothing. */
  | 'answer';

export interface Fault {
  /** Service from the signing scope (ec2, iam, kms, ssm, sts); any when omitted. */
  service?: string;
  /** API action, e.g. RunInstances or CreateKey. */
  action: string;
  kind: FaultKind;
  /** How many matching requests get the fault; every one when omitted. */
  times?: number;
  delayMs?: number;
  /** For kind 'error': the AWS error code, message and HTTP status (400 by default). */
  code?: string;
  message?: string;
  status?: number;
  /** Only requests whose body contains this text (e.g. 'DryRun=true'). */
  bodyIncludes?: string;
  /** For kind 'clock-skew': how far the server's clock (Date header) is from the client's. */
  skewMs?: number;
  /** For kind 'rewrite-body': text to find and what to put instead, every occurrence. */
  replace?: Array<[string, string]>;
  /** For kind 'answer': the body of the 200 answer (XML for EC2 and IAM, JSON for KMS). */
  body?: string;
}

export interface ProxiedRequest {
  service: string;
  action: string;
  faulted?: FaultKind;
  /** The request body as sent (query or JSON protocol), for checks such as ClientToken reuse. */
  body: string;
  /** The X-Amz-Date the SDK signed with, to see clock-skew correction at work. */
  amzDate?: string;
}

export interface FaultProxy {
  endpoint: string;
  add(fault: Fault): void;
  clear(): void;
  /**
   * Makes the "server" clock run `ms` ahead of the machine's, as AWS looks from a client whose
   * clock is wrong: every answer carries the skewed Date, and a request signed more than five
   * minutes away from it is refused the way each service refuses it. 0 turns it off.
   */
  setClockSkew(ms: number): void;
  requests: ProxiedRequest[];
  /** Every body forwarded was scanned for private keys and credentials; what was found, by action. */
  scan: ScanTally;
  /** Calls strict mode refused with AWS's answer, as "service:Action Code". */
  refusals: string[];
  count(action: string, options?: {faulted?: boolean}): number;
  close(): Promise<void>;
}

type Protocol = 'ec2' | 'query' | 'json';

export interface ProxiedCall {
  service: string;
  action: string;
  /** Headers as the SDK sent them (account header included). */
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Changes a call on its way through, for emulator gaps that no fault describes (the stack-set
 * support in moto-stacksets.ts): a new request body, and/or a new answer body.
 */
export interface Interceptor {
  request?: (call: ProxiedCall) => Promise<string | undefined>;
  response?: (call: ProxiedCall, answer: string) => Promise<string | undefined>;
}

function identify(request: http.IncomingMessage, body: string): {service: string; action: string; protocol: Protocol} {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ''));
  const service = scope?.[1] ?? 'unknown';
  // AWS Backup is REST-JSON: its action is the method and path (backup-double.ts).
  if (service === 'backup') return {service, action: backupRoute(request.method ?? 'GET', request.url ?? '/').action, protocol: 'json'};
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    return {service, action: target.split('.').pop() ?? target, protocol: 'json'};
  }
  const action = new URLSearchParams(body).get('Action') ?? 'unknown';
  return {service, action, protocol: service === 'ec2' ? 'ec2' : 'query'};
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function sendError(response: http.ServerResponse, protocol: Protocol, status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): void {
  const requestId = 'fault-proxy-request';
  if (protocol === 'json') {
    response.writeHead(status, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, ...extraHeaders});
    response.end(JSON.stringify({__type: code, message}));
    return;
  }
  const body =
    protocol === 'ec2'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  response.writeHead(status, {'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...extraHeaders});
  response.end(body);
}

/** X-Amz-Date (20260102T030405Z) as epoch milliseconds. */
export function signedAt(amzDate: string): number {
  return Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
}

/** How each service refuses a request signed too far from its clock (as AWS words it). */
function skewRefusal(protocol: Protocol, service: string, amzDate: string): [code: string, message: string, status: number] {
  if (protocol === 'ec2') return ['RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 400];
  if (protocol === 'json') return ['InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than the allowed window.`, 400];
  return ['SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier than the allowed window (${service}).`, 403];
}

/** An answer of the AWS Backup double, with AWS's error header when it is an error. */
function sendBackupAnswer(response: http.ServerResponse, answer: BackupAnswer): void {
  const headers: Record<string, string> = {'content-type': 'application/json', 'x-amzn-requestid': 'backup-double-request'};
  if (answer.errorType) headers['x-amzn-errortype'] = answer.errorType;
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

function throttleCode(protocol: Protocol): string {
  if (protocol === 'ec2') return 'RequestLimitExceeded';
  return protocol === 'json' ? 'ThrottlingException' : 'Throttling';
}

export interface FaultProxyOptions {
  accountId?: string;
  /** Credentials the client holds, which no request body may ever contain. */
  secrets?: string[];
  /** Changes calls on their way through (emulator gaps no fault describes). */
  intercept?: Interceptor;
  /**
   * Refuse deletes the way AWS does when something still depends on the resource (strict-aws.ts).
   * On by default: rollback and destroy must work against AWS's rules, not moto's leniency.
   */
  strict?: boolean;
}

/**
 * Where this proxy keeps its part of the run's tally (the global teardown adds them up and fails
 * on a leak), rewritten after every request so a proxy nobody closes still counts.
 */
function scanReport(): (scan: ScanTally) => void {
  let dir: string | undefined;
  try {
    dir = inject('requestScanDir');
  } catch {
    // outside a vitest run (the benchmark): nothing to add up
  }
  if (!dir) return () => {};
  const file = path.join(dir, `${process.pid}-${randomBytes(6).toString('hex')}.json`);
  return (scan) => writeFileSync(file, JSON.stringify(scan));
}

export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const accountHeader = options.accountId ? {'x-moto-account-id': options.accountId} : {};
  const faults: Array<Fault & {used: number}> = [];
  const requests: ProxiedRequest[] = [];
  const scan: ScanTally = {bodies: 0, leaks: [], refusals: 0};
  const refusals: string[] = [];
  const strict = options.strict ?? true;
  const report = scanReport();
  // moto has no backup selections: this double answers them as AWS does, always (not a fault).
  const backup = createBackupDouble();

  let clockSkewMs = 0;
  const serverDate = () => new Date(Date.now() + clockSkewMs).toUTCString();

  const forward = (
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
    change: {cut?: boolean; replace?: Array<[string, string]>; transform?: (text: string) => Promise<string | undefined>} = {},
  ) => {
    const cut = Boolean(change.cut) || Boolean(change.replace) || Boolean(change.transform);
    const outgoing = http.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: {...request.headers, host: upstream.host, ...accountHeader, 'content-length': String(body.length)},
      },
      (reply) => {
        const headers = clockSkewMs ? {...reply.headers, date: serverDate()} : reply.headers;
        if (!cut) {
          response.writeHead(reply.statusCode ?? 502, headers);
          reply.pipe(response);
          return;
        }
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        const relay = async () => {
          let full = Buffer.concat(parts);
          if (change.transform) {
            const text =
              (await change.transform(full.toString('utf8')).catch((error: unknown) => {
                response.destroy(error instanceof Error ? error : new Error(String(error)));
                return null;
              })) ?? full.toString('utf8');
            if (response.destroyed) return;
            full = Buffer.from(text);
            response.writeHead(reply.statusCode ?? 502, {...headers, 'content-length': String(full.length)});
            response.end(full);
            return;
          }
          if (change.replace) {
            let text = full.toString('utf8');
            for (const [from, to] of change.replace) text = text.split(from).join(to);
            full = Buffer.from(text);
            response.writeHead(reply.statusCode ?? 502, {...headers, 'content-length': String(full.length)});
            response.end(full);
            return;
          }
          // Send the headers (with the true length) and half the body, then hang up.
          response.writeHead(reply.statusCode ?? 502, {...headers, 'content-length': String(full.length)});
          response.write(full.subarray(0, Math.floor(full.length / 2)));
          setTimeout(() => response.socket?.destroy(), 20);
        };
        // A failure here is a bug in the proxy: left unhandled, vitest reports it.
        reply.on('end', () => void relay());
      },
    );
    outgoing.on('error', () => response.destroy());
    outgoing.end(body);
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const handle = async () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const {service, action, protocol} = identify(request, text);
      const token = request.headers['x-amz-security-token'];
      const found = scanRequestBody(text, [...(options.secrets ?? []), ...(typeof token === 'string' ? [token] : [])]);
      scan.bodies += 1;
      if (found.length > 0) scan.leaks.push(`${service}:${action} carried ${found.join(' and ')}`);
      report(scan);
      const fault = faults.find(
        (item) =>
          item.action === action &&
          (!item.service || item.service === service) &&
          (item.times === undefined || item.used < item.times) &&
          (!item.bodyIncludes || text.includes(item.bodyIncludes)),
      );
      const amzDate = typeof request.headers['x-amz-date'] === 'string' ? request.headers['x-amz-date'] : undefined;
      if (clockSkewMs && amzDate && Math.abs(signedAt(amzDate) - (Date.now() + clockSkewMs)) > 5 * 60_000) {
        requests.push({service, action, body: text, amzDate, faulted: 'clock-skew'});
        const [code, message, status] = skewRefusal(protocol, service, amzDate);
        return sendError(response, protocol, status, code, message, {date: serverDate()});
      }
      requests.push({service, action, body: text, ...(amzDate ? {amzDate} : {}), ...(fault ? {faulted: fault.kind} : {})});
      if (!fault) {
        const header = request.headers['x-moto-account-id'];
        const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
        if (service === 'backup') {
          const account = typeof header === 'string' ? header : (options.accountId ?? '123456789012');
          const call = {method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body: text, account, region};
          const answered = await backup.answer(call, target);
          if (answered) return sendBackupAnswer(response, answered);
        }
        if (strict) {
          const refusal = await strictRefusal({
            upstream: target,
            service,
            action,
            body: text,
            accountId: typeof header === 'string' ? header : options.accountId,
            region,
          }).catch(() => undefined);
          if (refusal) {
            refusals.push(`${service}:${action} ${refusal[0]}`);
            scan.refusals = refusals.length;
            report(scan);
            requests[requests.length - 1].faulted = 'error';
            return sendError(response, protocol, refusal[2], refusal[0], refusal[1]);
          }
        }
        if (options.intercept) {
          const call: ProxiedCall = {service, action, headers: request.headers, body: text};
          const changed = await options.intercept.request?.(call);
          const sent = changed === undefined ? body : Buffer.from(changed);
          const answer = options.intercept.response;
          return forward(request, sent, response, answer ? {transform: (reply) => answer({...call, body: sent.toString('utf8')}, reply)} : {});
        }
        return forward(request, body, response);
      }
      fault.used += 1;
      switch (fault.kind) {
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 200));
          return forward(request, body, response);
        case 'reset':
          request.socket.destroy();
          return;
        case 'throttle':
          if (protocol === 'ec2') return sendError(response, protocol, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
          if (protocol === 'json') return sendError(response, protocol, 400, 'ThrottlingException', 'Rate exceeded');
          return sendError(response, protocol, 400, 'Throttling', 'Rate exceeded');
        case 'too-many-requests':
          return sendError(response, protocol, 429, throttleCode(protocol), 'Too Many Requests');
        case 'unavailable':
          return sendError(response, protocol, 503, 'ServiceUnavailable', 'The service is unavailable. Please try again shortly.');
        case 'stall':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 5000));
          request.socket.destroy();
          return;
        case 'cut-body':
          return forward(request, body, response, {cut: true});
        case 'rewrite-body':
          return forward(request, body, response, {replace: fault.replace ?? []});
        case 'clock-skew': {
          const serverTime = new Date(Date.now() + (fault.skewMs ?? 15 * 60_000));
          const code = fault.code ?? 'RequestTimeTooSkewed';
          const message = fault.message ?? 'The difference between the request time and the current time is too large.';
          return sendError(response, protocol, fault.status ?? (protocol === 'ec2' ? 401 : 403), code, message, {date: serverTime.toUTCString()});
        }
        case 'server-error':
          return sendError(response, protocol, 500, protocol === 'json' ? 'InternalFailure' : 'InternalError', 'An internal error has occurred');
        case 'invalid-instance-profile':
          return sendError(response, 'ec2', 400, 'InvalidParameterValue', 'Value (tandem-profile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name');
        case 'dry-run-ok':
          return sendError(response, 'ec2', 412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
        case 'unauthorized':
          return sendError(response, 'ec2', 403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
        case 'error':
          return sendError(response, protocol, fault.status ?? 400, fault.code ?? 'InternalError', fault.message ?? 'injected failure');
        case 'answer': {
          const type = protocol === 'json' ? 'application/x-amz-json-1.1' : 'text/xml';
          response.writeHead(200, {'content-type': type, 'x-amzn-requestid': 'fault-proxy-request'});
          response.end(fault.body ?? '');
          return;
        }
      }
    };
    // A failure here is a bug in the proxy: left unhandled, vitest reports it.
    request.on('end', () => void handle());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    add: (fault) => faults.push({...fault, used: 0}),
    setClockSkew: (ms) => {
      clockSkewMs = ms;
    },
    clear: () => {
      faults.length = 0;
    },
    requests,
    count: (action, options = {}) => requests.filter((item) => item.action === action && (options.faulted === undefined || Boolean(item.faulted) === options.faulted)).length,
    scan,
    refusals,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (scan.leaks.length > 0) throw new Error(`secrets reached the endpoint: ${scan.leaks.join('; ')}`);
    },
  };
}

/**
 * moto ignores DryRun for these calls and really makes them (docs/design.md section 5); AWS answers
 * DryRunOperation. Tests of dry runs have the proxy give AWS's answer.
 */
export const MOTO_IGNORES_DRY_RUN = [
  'CreateVpc',
  'CreateSubnet',
  'CreateInternetGateway',
  'AttachInternetGateway',
  'CreateRouteTable',
  'CreateRoute',
  'AssociateRouteTable',
  'AllocateHosts',
  // Read-only, so nothing is made, but moto answers the volumes where AWS answers DryRunOperation.
  'DescribeVolumes',
];

export function answerDryRunLikeAws(proxy: FaultProxy): void {
  for (const action of MOTO_IGNORES_DRY_RUN) proxy.add({action, kind: 'dry-run-ok', bodyIncludes: 'DryRun=true'});
}

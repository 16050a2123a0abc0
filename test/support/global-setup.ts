// Starts the local AWS endpoint (moto, installed by scripts/moto-setup.mjs) on a free loopback
// port for the whole test run and stops it afterwards. Tests read its URL with
// `inject('motoEndpoint')` and isolate themselves with their own `x-moto-account-id`.
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {TestProject} from 'vitest/node';
import type {} from 'vitest';
import {startMoto} from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    /** Where each fault proxy leaves the tally of the request bodies it scanned (request-scan.ts). */
    requestScanDir: string;
  }
}

export default async function setup(project: TestProject) {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  const scanDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-request-scan-'));
  project.provide('requestScanDir', scanDir);
  return async () => {
    await moto.stop();
    const tallies = readdirSync(scanDir).map((name) => JSON.parse(readFileSync(path.join(scanDir, name), 'utf8')) as {bodies: number; leaks: string[]; refusals?: number});
    rmSync(scanDir, {recursive: true, force: true});
    const bodies = tallies.reduce((sum, tally) => sum + tally.bodies, 0);
    const leaks = tallies.flatMap((tally) => tally.leaks);
    const refusals = tallies.reduce((sum, tally) => sum + (tally.refusals ?? 0), 0);
    console.log(
      `request-body scan: ${bodies} bodies through ${tallies.length} proxies, ${leaks.length} carrying private key material or credentials; strict mode refused ${refusals} calls as AWS would`,
    );
    if (leaks.length > 0) throw new Error(`secrets reached the endpoint: ${leaks.join('; ')}`);
  };
}

// Starts the local AWS endpoint (moto, installed by scripts/moto-setup.mjs) on a free loopback
// port for the whole test run and stops it afterwards. Tests read its URL with
// `inject('motoEndpoint')` and isolate themselves with their own `x-moto-account-id`.
import type {TestProject} from 'vitest/node';
import type {} from 'vitest';
import {startMoto} from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto.stop();
  };
}

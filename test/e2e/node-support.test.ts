// CI runs the whole suite once on the machine's Node 20 and once on Node 24 (.ci/run), and the
// built binary always runs on the Node that runs vitest. This file names that Node in its test
// titles, so the log shows which one a pass used, and checks that neither version puts a warning
// of its own (the AWS SDK's Node-version notice, a deprecation) in front of a user.
import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {everythingSpec, openWorld, runCli, writeProfile, type World} from '../reliability/support.js';

const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as {engines: {node: string}}).engines.node;
const WARNING = /warning|deprecat/i;

let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(() => world?.close());

describe(`the built tandem on Node ${process.version}`, () => {
  it(`is a Node the engines field (${engines}) names`, () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(engines).toMatch(major >= 24 ? />=24\b/ : new RegExp(`\\^${major}\\.`));
  });

  it('loads the AWS SDK for a dry run and writes no warning', async () => {
    const file = writeProfile(world.home, everythingSpec(world.keyDir));
    const run = await runCli(['launch', file, '--yes', '--dry-run', '--output', 'json'], world.env, 60_000);
    expect(run.events.at(-1), run.stderr).toMatchObject({type: 'dry-run-summary'});
    expect(run.stderr).not.toMatch(WARNING);
  });

  it('explains a launch offline and writes no warning', async () => {
    const run = await runCli(['explain', '--format', 'json'], world.env, 30_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });
});

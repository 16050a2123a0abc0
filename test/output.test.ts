// The one writer (source/output.ts): whatever AWS or the operator supplied comes out inert, in text
// and in JSON, unless tandem marks the text as its own; JSON keeps every value exactly.
import {describe, expect, it} from 'vitest';
import {createOutput, jsonLine, t, trusted} from '../source/output.js';
import {UsageError} from '../source/exit.js';
import {Capture} from './support/command-io.js';

const ESC = '\u001b';
/** A name an account owner could give a resource: it clears the screen, links elsewhere, and hides behind a C1 CSI. */
const HOSTILE = `web${ESC}[2J${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\\u009b31m\u202eevil\nfake ✓ line`;
/** Any byte a terminal could act on: C0 but the line feed, DEL, C1, line/paragraph separators, bidi overrides. */
const DRIVES_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function capture(mode: 'text' | 'json' = 'text') {
  const stdout = new Capture();
  const stderr = new Capture();
  return {out: createOutput({stdout, stderr}, mode), stdout, stderr};
}

describe('the writer makes supplied text inert by default', () => {
  it('a plain string: escape sequences, OSC 8 links and C1 controls are shown, not acted on; lines stay lines', () => {
    const {out, stderr, stdout} = capture();
    out.say(HOSTILE);
    out.print(HOSTILE);
    for (const text of [stderr.text, stdout.text]) {
      expect(text).not.toMatch(DRIVES_TERMINAL);
      expect(text).toBe('web\\x1b[2J\\x1b]8;;https://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\\\x9b31m\\u202eevil\nfake ✓ line\n');
    }
  });

  it('a value in a t`` sentence is inert whole: a line break in it cannot start a line of its own', () => {
    const {out, stderr} = capture();
    out.say(t`tandem launch: security group ${HOSTILE} is taken`);
    expect(stderr.text).not.toMatch(DRIVES_TERMINAL);
    expect(stderr.text.split('\n')).toEqual([expect.stringMatching(/^tandem launch: security group web\\x1b\[2J.*\\x0afake ✓ line is taken$/), '']);
  });

  it("tandem's own text passes as it is: the template's line breaks, trusted text and numbers", () => {
    const {out, stdout} = capture();
    const table = trusted('NAME  STATE\nweb   running');
    out.print(t`${3} instances\n${table}`);
    expect(stdout.text).toBe('3 instances\nNAME  STATE\nweb   running\n');
  });

  it('a trusted mark made by another copy of the module is honoured (it is a registered symbol)', () => {
    const copy = {[Symbol.for('tandem.output.trusted')]: true, text: 'kept\tas is'};
    expect(t`${copy}`.text).toBe('kept\tas is');
  });

  it('JSON: no byte that drives a terminal, and JSON.parse gives back exactly the name AWS sent', () => {
    const {out, stdout, stderr} = capture('json');
    out.json({type: 'step-done', resources: [{kind: 'security-group', id: 'sg-1', name: HOSTILE}]});
    expect(stderr.text).toBe('');
    expect(stdout.text.endsWith('\n')).toBe(true);
    expect(stdout.text.slice(0, -1)).not.toContain('\n');
    expect(stdout.text).not.toMatch(DRIVES_TERMINAL);
    expect((JSON.parse(stdout.text) as {resources: Array<{name: string}>}).resources[0].name).toBe(HOSTILE);
  });

  it('JSON of plain values is byte for byte what JSON.stringify writes', () => {
    const value = {type: 'summary', launchId: 'l-1', status: 'launched', ok: true, n: 3, tags: {Name: 'wéb ✓'}};
    expect(jsonLine(value)).toBe(JSON.stringify(value));
  });

  it('a document goes to a file or pipe as it is (it is data), and to a terminal inert', async () => {
    const piped = capture();
    expect(await piped.out.document(`name: "${HOSTILE}"\n`)).toBeUndefined();
    expect(piped.stdout.text).toBe(`name: "${HOSTILE}"\n`);
    const terminal = capture();
    terminal.stdout.isTTY = true;
    await terminal.out.document(`name: "${HOSTILE}"\n`);
    expect(terminal.stdout.text).not.toMatch(DRIVES_TERMINAL);
  });

  it('an error is printed described, every message line prefixed, its values inert', () => {
    const {out, stderr} = capture();
    const described = out.error(new UsageError(`no launch "l${ESC}[2J"\nsecond problem\nusage: tandem verify LAUNCH_ID`), 'tandem verify');
    expect(described.code).toBe('usage');
    expect(stderr.text).toBe('tandem verify: no launch "l\\x1b[2J"\ntandem verify: second problem\nusage: tandem verify LAUNCH_ID\n');
  });
});

describe('with --output json, stdout carries only JSON', () => {
  it('text a command prints as its result goes to stderr instead', () => {
    const {out, stdout, stderr} = capture('json');
    out.print('Launched i-0123 (launch l-1).');
    out.json({type: 'summary', status: 'launched'});
    expect(stdout.text).toBe('{"type":"summary","status":"launched"}\n');
    expect(stderr.text).toBe('Launched i-0123 (launch l-1).\n');
  });
});

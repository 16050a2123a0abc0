// Runs the real checkers, pinned by scripts/checker-setup.mjs: Prowler against the local endpoint
// (AWS_ENDPOINT_URL, test credentials, one region) and checkov on CloudFormation files. Each
// result is reduced to (check, resource, status) so the suite can compare it with tandem's verdicts.
import {execFile} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROWLER = path.join(root, '.moto', 'prowler-venv', 'bin', 'prowler');
const CHECKOV = path.join(root, '.moto', 'checkov-venv', 'bin', 'checkov');

export interface ToolFinding {
  check: string;
  /** Names the finding gives its resource: its ARN, its name, the template file and logical resource. */
  resources: string[];
  status: 'pass' | 'fail';
  file?: string;
  /** The tool's own severity, lower case (Prowler's metadata; checkov's JSON leaves it out). */
  severity?: string;
  /** The tool's one-line explanation of this result. */
  detail?: string;
}

/** What Prowler runs: named checks, or every check of the named services. */
export type ProwlerScope = {checks: readonly string[]} | {services: readonly string[]};

function installed(binary: string): void {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run "node scripts/checker-setup.mjs" (npm run test:checkers does this first)`);
  }
}

/**
 * Prowler 5 against `endpoint`, as account 123456789012 of moto: the named checks, or every check
 * of the named services. `--scan-unused-services` makes Prowler judge resources it would otherwise
 * skip as unused (a security group no instance uses yet, a VPC with no workload), as an auditor
 * asking for everything would.
 */
export async function runProwler(endpoint: string, scope: ProwlerScope, outputDir: string): Promise<{findings: ToolFinding[]; ms: number}> {
  installed(PROWLER);
  const started = Date.now();
  const what = 'checks' in scope ? ['--checks', ...scope.checks] : ['--services', ...scope.services];
  const args = ['aws', ...what, '--scan-unused-services', '-f', 'us-east-1', '--output-formats', 'json-ocsf', '-o', outputDir, '--no-banner'];
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? outputDir,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  try {
    await run(PROWLER, args, {env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000});
  } catch (error) {
    // Prowler exits 3 when any check fails: that is a result, not an error.
    if ((error as {code?: unknown}).code !== 3) throw error;
  }
  const file = readdirSync(outputDir).find((name) => name.endsWith('.ocsf.json'));
  if (!file) throw new Error(`Prowler wrote no OCSF file in ${outputDir}`);
  const raw = JSON.parse(readFileSync(path.join(outputDir, file), 'utf8')) as Array<{
    status_code: string;
    severity?: string;
    status_detail?: string;
    metadata: {event_code: string};
    resources: Array<{uid?: string; name?: string}>;
  }>;
  const findings = raw.map((finding) => ({
    check: finding.metadata.event_code,
    resources: finding.resources.flatMap((resource) => [resource.uid ?? '', resource.name ?? '']).filter(Boolean),
    status: finding.status_code === 'FAIL' ? ('fail' as const) : ('pass' as const),
    severity: finding.severity?.toLowerCase(),
    detail: finding.status_detail,
  }));
  return {findings, ms: Date.now() - started};
}

/** checkov 3 on every CloudFormation file in `dir`, every check it has. */
export async function runCheckov(dir: string): Promise<{findings: ToolFinding[]; ms: number}> {
  installed(CHECKOV);
  const started = Date.now();
  const args = ['-d', dir, '--framework', 'cloudformation', '-o', 'json', '--skip-download'];
  let stdout: string;
  try {
    ({stdout} = await run(CHECKOV, args, {maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000, env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir}}));
  } catch (error) {
    // checkov exits 1 when a check fails.
    const failed = error as {code?: unknown; stdout?: string};
    if (failed.code !== 1 || !failed.stdout) throw error;
    stdout = failed.stdout;
  }
  const parsed = JSON.parse(stdout) as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{
    results: {passed_checks: CheckovResult[]; failed_checks: CheckovResult[]};
  }>;
  const findings: ToolFinding[] = [];
  for (const report of reports) {
    for (const [status, list] of [
      ['pass', report.results.passed_checks],
      ['fail', report.results.failed_checks],
    ] as const) {
      for (const result of list) {
        findings.push({check: result.check_id, resources: [result.resource], status, file: path.basename(result.file_path)});
      }
    }
  }
  return {findings, ms: Date.now() - started};
}

interface CheckovResult {
  check_id: string;
  resource: string;
  file_path: string;
}

// Doyensec Electronegativity over electron/, offline, as part of `npm test`: any high or medium
// finding fails unless tests/security/electronegativity-exceptions.json lists it with a reason.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTENT_SECURITY_POLICY } from '../../desk-backend/hosting/content-security-policy';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

const Finding = z.object({
  check: z.string(),
  severity: z.string(),
  confidence: z.string(),
  file: z.string(),
  line: z.number(),
  column: z.number(),
  description: z.string(),
});
type Finding = z.infer<typeof Finding>;
const ScanResult = z.object({
  findings: z.array(Finding),
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })),
});
const Exceptions = z.object({
  exceptions: z.array(z.object({ check: z.string(), file: z.string(), reason: z.string().min(40) })),
});

async function scanOffline(folder: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(import.meta.dirname, 'support', 'electronegativity-offline.cjs'), folder, electronVersion],
    { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
  );
  return ScanResult.parse(JSON.parse(stdout));
}

const blocking = (finding: Finding) => finding.severity === 'HIGH' || finding.severity === 'MEDIUM';
const { exceptions } = Exceptions.parse(JSON.parse(readFileSync(path.join(import.meta.dirname, 'electronegativity-exceptions.json'), 'utf8')));
const excuses = (finding: Finding) => exceptions.some((entry) => entry.check === finding.check && entry.file === finding.file);

let electronScan: z.infer<typeof ScanResult>;
let insecureScan: z.infer<typeof ScanResult>;

beforeAll(async () => {
  // A window with isolation off, written the way the scanner reads it: proves the offline scan finds things.
  const insecure = mkdtempSync(path.join(tmpdir(), 'clm-electronegativity-'));
  writeFileSync(
    path.join(insecure, 'main.js'),
    "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: true } });\n",
  );
  [electronScan, insecureScan] = await Promise.all([scanOffline(path.join(projectRoot, 'electron')), scanOffline(insecure)]);
});

describe('Electronegativity over electron/', () => {
  it('parses every file', () => {
    expect(electronScan.errors.filter((error) => !error.tolerable)).toEqual([]);
  });

  it('reports no high or medium finding that is not a reviewed exception', () => {
    expect(electronScan.findings.filter((finding) => blocking(finding) && !excuses(finding))).toEqual([]);
  });

  it('keeps no exception that matches no finding any more', () => {
    const stale = exceptions.filter((entry) => !electronScan.findings.some((finding) => finding.check === entry.check && finding.file === entry.file));
    expect(stale).toEqual([]);
  });

  it('finds a window without context isolation (the scan works offline)', () => {
    expect(insecureScan.findings).toContainEqual(expect.objectContaining({ check: 'CONTEXT_ISOLATION_JS_CHECK', severity: 'HIGH' }));
  });
});

describe('the Content-Security-Policy the scanner cannot read from its constant', () => {
  it('has no high or medium finding in the evaluator Electronegativity uses', () => {
    // Resolved through the scanner, so the test uses the evaluator version the scanner ships with.
    const csp = createRequire(require.resolve('@doyensec/electronegativity'))('@doyensec/csp-evaluator') as {
      CspParser: new (policy: string) => { csp: unknown };
      CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { severity: number; directive: string; description: string }[] };
      Version: { CSP3: unknown };
      severities: Record<'HIGH' | 'SYNTAX' | 'MEDIUM', number>;
    };
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    const serious = [csp.severities.HIGH, csp.severities.SYNTAX, csp.severities.MEDIUM];
    expect(findings.filter((finding) => serious.includes(finding.severity))).toEqual([]);
  });
});

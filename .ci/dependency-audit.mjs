// The dependency audit of .ci/run: `npm run audit:deps` (npm audit of the production dependencies) with
// its findings checked against the table "Explained findings" of docs/operations/dependency-audit.md.
// Exit 0: no finding, or every finding's advisory id is in that table; exit 1: a finding not explained
// there, or npm audit failed in another way. Where the registry's advisory endpoint cannot be reached
// (a mirror that answers 405, no network), it says so in one line and exits 0: that says nothing about
// our dependencies. `--explained FILE` reads the table from another file (the tests use it).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(import.meta.dirname, '..');
const EXPLAINED_DOC = 'docs/operations/dependency-audit.md';
const EXPLAINED_SECTION = '## Explained findings';
const ADVISORY_ENDPOINT = '/-/npm/v1/security/advisories/bulk';
const GHSA_ID = /GHSA(?:-[0-9a-z]{4}){3}/;

/** Advisory ids (GHSA-…) in the first column of the "Explained findings" table. */
function explainedIds(markdown) {
  const start = markdown.indexOf(`\n${EXPLAINED_SECTION}\n`);
  if (start < 0) throw new Error(`no "${EXPLAINED_SECTION}" section`);
  const section = markdown.slice(start + EXPLAINED_SECTION.length + 2).split(/\n## /)[0];
  const firstCells = section.split('\n').flatMap((line) => (line.startsWith('|') ? [line.split('|')[1]] : []));
  return new Set(firstCells.flatMap((cell) => GHSA_ID.exec(cell) ?? []));
}

/** Each advisory npm audit reported, once, with the installed versions it was found on. */
function findingsOf(report, lock) {
  const findings = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities)) {
    const versions = vulnerability.nodes.map((node) => `${vulnerability.name}@${lock.packages[node]?.version ?? '?'}`);
    for (const advisory of vulnerability.via.filter((via) => typeof via === 'object')) {
      const id = GHSA_ID.exec(advisory.url)?.[0] ?? advisory.url;
      const finding = findings.get(id) ?? { id, severity: advisory.severity, title: advisory.title, url: advisory.url, installed: new Set() };
      for (const version of versions) finding.installed.add(version);
      findings.set(id, finding);
    }
  }
  return [...findings.values()];
}

function runAudit() {
  try {
    return { stdout: execFileSync('npm', ['run', '-s', 'audit:deps', '--', '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    // npm audit exits 1 on a finding as on an error; its JSON on stdout tells which.
    return { stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) };
  }
}

function main() {
  const { values } = parseArgs({ options: { explained: { type: 'string', default: EXPLAINED_DOC } } });
  const { stdout, stderr } = runAudit();
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    console.log(`dependency audit: npm audit failed:\n${stderr}${stdout}`);
    return 1;
  }
  if (report.auditReportVersion === undefined) {
    if (typeof report.message === 'string' && report.message.includes(ADVISORY_ENDPOINT)) {
      console.log(`dependency audit: could not run here, the registry's advisory endpoint cannot be reached (${report.message}); see ${EXPLAINED_DOC}`);
      return 0;
    }
    console.log(`dependency audit: npm audit failed: ${report.message ?? stdout}`);
    return 1;
  }
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  const findings = findingsOf(report, lock);
  const explained = explainedIds(readFileSync(path.resolve(repoRoot, values.explained), 'utf8'));
  const unexplained = findings.filter((finding) => !explained.has(finding.id));
  if (unexplained.length === 0) {
    console.log(
      findings.length === 0
        ? 'dependency audit: no advisory affects the production dependencies'
        : `dependency audit: ${findings.length} advisories, each explained in ${values.explained} (${findings.map((finding) => finding.id).join(', ')})`,
    );
    return 0;
  }
  console.log(
    `dependency audit: ${unexplained.length} of ${findings.length} advisories not explained in ${values.explained} ("${EXPLAINED_SECTION.slice(3)}"):`,
  );
  for (const finding of unexplained) console.log(`  ${finding.id} (${finding.severity}) ${[...finding.installed].join(' ')}: ${finding.title} ${finding.url}`);
  return 1;
}

process.exitCode = main();

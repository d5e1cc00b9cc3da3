// Reads deploy/Dockerfile the way the tests need it without a Docker daemon: stages with their
// instructions (continuation lines joined, comments dropped, leading --flags split off), exec-form
// arguments, and where each file copied from the build context lands in the image.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  /** The arguments after the flags, as written. */
  args: string;
}

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG lines before the first FROM, by name: their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending !== '') throw new Error('the Dockerfile ends inside a continued line');
  return lines;
}

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (let match = /^--([a-z-]+)=(\S+)\s+/.exec(args); match; match = /^--([a-z-]+)=(\S+)\s+/.exec(args)) {
    flags[match[1]!] = match[2]!;
    args = args.slice(match[0].length);
  }
  return { flags, args };
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), ...splitFlags(rest) };
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, image, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${instruction.keyword} before the first FROM`);
      const [name = '', value = ''] = instruction.args.split('=');
      globalArgs[name] = value;
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

export function readDockerfile(relativePath = 'deploy/Dockerfile'): Dockerfile {
  return parseDockerfile(readFileSync(path.join(repoRoot, relativePath), 'utf8'));
}

/** Exec form (`["node", "x"]`) only: shell form would put /bin/sh between Docker's signals and Node. */
export function execForm(instruction: Instruction): string[] {
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) throw new Error(`${instruction.keyword} is not in exec form`);
  return parsed;
}

export const instructionsOf = (stage: Stage, keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword);

/** COPY without --from: sources in the build context, and the image path each one lands at. */
export function contextCopies(stage: Stage): { source: string; target: string }[] {
  return instructionsOf(stage, 'COPY')
    .filter((copy) => copy.flags.from === undefined)
    .flatMap((copy) => {
      const parts = copy.args.split(/\s+/);
      const destination = parts.at(-1)!;
      return parts.slice(0, -1).map((source) => ({
        source,
        // A folder's contents go into the destination; a file into it when it ends with '/'.
        target: !source.endsWith('/') && destination.endsWith('/') ? path.posix.join(destination, path.posix.basename(source)) : destination,
      }));
    });
}

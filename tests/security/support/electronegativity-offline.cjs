// Runs Doyensec Electronegativity over a folder with the network cut off, and prints its
// findings as JSON on stdout. The scanner fetches translations and Electron's release list on
// every run; offline it falls back to its bundled English texts, and the release check (which
// only reports "a newer Electron has security fixes") is left out.
// Usage: node electronegativity-offline.cjs <folder> <electron version>
'use strict';
const net = require('node:net');

const [input, electronVersion] = process.argv.slice(2);
net.Socket.prototype.connect = function refuseNetwork() {
  process.nextTick(() => this.destroy(new Error('network disabled for the offline scan')));
  return this;
};
// The scanner reports its failed translation download with console.log; stdout carries only the JSON.
console.log = (...args) => console.error(...args);

const scan = require('@doyensec/electronegativity');
scan(
  {
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  },
  false,
).then(
  ({ issues, errors }) => {
    const findings = issues.map((issue) => ({
      check: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      column: issue.location.column,
      description: issue.description,
    }));
    process.stdout.write(JSON.stringify({ findings, errors }));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

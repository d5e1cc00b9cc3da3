// After `npm ci`: keeps the better-sqlite3 binary this runner compiled where prebuild-install looks for a
// downloaded prebuilt one (the npm cache's _prebuilds folder, named by package version, Node ABI, platform and
// arch), so the next CI run on this runner unpacks it instead of compiling SQLite again (about 100 s of one core).
// With internet prebuild-install downloads the same file from the release page; offline, a runner compiles once.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const packageJson = require.resolve('better-sqlite3/package.json');
const packageDir = path.dirname(packageJson);
const fromPackage = createRequire(packageJson);
const prebuildUtil = fromPackage('prebuild-install/util');
const pkg = require(packageJson);
const options = fromPackage('prebuild-install/rc')(pkg);
const cached = prebuildUtil.cachedPrebuild(prebuildUtil.getDownloadUrl({ ...options, pkg }));
const binary = 'build/Release/better_sqlite3.node';

if (fs.existsSync(cached)) {
  console.log(`better-sqlite3 ${pkg.version}: prebuilt binary already kept at ${cached}`);
} else {
  // Only a binary this Node loads is worth keeping.
  require(path.join(packageDir, binary));
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  execFileSync('tar', ['-czf', partial, '-C', packageDir, binary]);
  fs.renameSync(partial, cached);
  console.log(`better-sqlite3 ${pkg.version}: compiled binary kept for the next run at ${cached}`);
}

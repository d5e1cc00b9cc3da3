// After `npm ci`: keeps the better-sqlite3 and better-sqlite3-multiple-ciphers binaries this runner compiled
// where prebuild-install looks for a downloaded prebuilt one (the npm cache's _prebuilds folder, named by a hash
// of the package's download URL, its version, Node ABI, platform and arch), so the next CI run on this runner
// unpacks them instead of compiling SQLite again (about 100 s of one core each). With internet prebuild-install
// downloads the same files from the packages' release pages; offline, a runner compiles each once.
// better-sqlite3-multiple-ciphers is the desk cache's SQLite (README "Personal data"); better-sqlite3 is
// the plain baseline the benchmarks and a few tests compare it with.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const NATIVE_PACKAGES = ['better-sqlite3-multiple-ciphers', 'better-sqlite3'];
// Both packages build their addon under better-sqlite3's name.
const BINARY = 'build/Release/better_sqlite3.node';

function keep(name) {
  const packageJson = require.resolve(`${name}/package.json`);
  const packageDir = path.dirname(packageJson);
  const fromPackage = createRequire(packageJson);
  const prebuildUtil = fromPackage('prebuild-install/util');
  const pkg = require(packageJson);
  const options = fromPackage('prebuild-install/rc')(pkg);
  const cached = prebuildUtil.cachedPrebuild(prebuildUtil.getDownloadUrl({ ...options, pkg }));
  if (fs.existsSync(cached)) {
    console.log(`${name} ${pkg.version}: prebuilt binary already kept at ${cached}`);
    return;
  }
  // Only a binary this Node loads is worth keeping.
  require(path.join(packageDir, BINARY));
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  execFileSync('tar', ['-czf', partial, '-C', packageDir, BINARY]);
  fs.renameSync(partial, cached);
  console.log(`${name} ${pkg.version}: compiled binary kept for the next run at ${cached}`);
}

for (const name of NATIVE_PACKAGES) keep(name);

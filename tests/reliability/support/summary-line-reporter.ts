// Prints the fault simulation's summary line after vitest's own report, so that
// `npm run test:faults` ends with `runs=N lost=0 duplicated=0 diverged=0`.
import type { Reporter, TestModule } from 'vitest/node';

declare module 'vitest' {
  interface TaskMeta {
    faultSummaryLine?: string;
  }
}

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines = testModules.flatMap((module) => [...module.children.allTests()].flatMap((test) => test.meta().faultSummaryLine ?? []));
    for (const line of lines) console.log(line);
  }
}

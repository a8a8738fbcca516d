// Prints one closing line for the whole suite, "N passed, N failed", from the runners' JSON reports.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) { console.error(`missing test report ${file}`); failed++; continue; }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in report) { // vitest (jest-style JSON)
    passed += report.numPassedTests; failed += report.numFailedTests; skipped += report.numPendingTests + report.numTodoTests;
  } else if (report.stats) { // playwright
    passed += report.stats.expected; failed += report.stats.unexpected + report.stats.flaky; skipped += report.stats.skipped;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed > 0 ? 1 : 0);

/**
 * Benchmark runner: `npm run bench -- [suite ...]` runs bench/<suite>.bench.ts
 * (all suites when none is named). Each suite prints its own table of ratios
 * against a baseline measured in the same run; docs/benchmarks.md records them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const suites = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !suites.includes(w));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark suite(s): ${unknown.join(', ')}; available: ${suites.join(', ') || 'none'}`,
    );
    process.exit(2);
  }
  for (const suite of wanted.length > 0 ? wanted : suites) {
    console.log(`\n## ${suite}\n`);
    const mod = await import(path.join(__dirname, `${suite}.bench.ts`));
    await mod.run();
  }
}

main();

/**
 * Many processes contending for one run folder at once, round after round
 * (contender.ts), each round starting from a different lock a kill could
 * leave: none, a dead holder's, a reused pid's, an older engine's bare pid, an
 * empty file. Never may two hold it together; every round someone gets it; no
 * lock, marker or temporary file is left over.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sleep } from './support';

const STALE_LOCKS = [
  undefined,
  JSON.stringify({ pid: 4_000_000, startTicks: '7', host: os.hostname() }),
  JSON.stringify({ pid: 1, startTicks: '1', host: os.hostname() }),
  '4000000',
  '',
];

export async function contention(opts: {
  work: string;
  contenders: number;
  rounds: number;
}): Promise<{ rounds: number; wins: number; broken: string[] }> {
  const dir = path.join(opts.work, 'contention');
  fs.mkdirSync(dir, { recursive: true });
  const children = Array.from({ length: opts.contenders }, (_, id) =>
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'contender.ts'),
        dir,
        String(opts.rounds),
        String(id),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
  // Listen now: a contender that ends before the last round is checked would otherwise emit
  // 'close' unheard, and the wait for it below would leave Node an empty event loop, on which
  // it exits with status 0 before the suite's verdict.
  const closed = children.map((c) => new Promise((resolve) => c.once('close', resolve)));
  const broken: string[] = [];
  let wins = 0;
  // All start together: wait until every contender is loaded and polling.
  while (children.some((_, id) => !fs.existsSync(path.join(dir, `ready-${id}`)))) await sleep(10);
  for (let r = 0; r < opts.rounds; r++) {
    const stale = STALE_LOCKS[r % STALE_LOCKS.length];
    if (stale !== undefined) fs.writeFileSync(path.join(dir, 'run.lock'), stale);
    fs.writeFileSync(path.join(dir, `go-${r}`), '');
    const done = (id: number) => path.join(dir, `done-${r}-${id}`);
    const deadline = Date.now() + 60_000;
    while (children.some((_, id) => !fs.existsSync(done(id))) && Date.now() < deadline)
      await sleep(5);
    const outcomes = children.map((_, id) =>
      fs.existsSync(done(id)) ? fs.readFileSync(done(id), 'utf8') : 'timeout',
    );
    wins += outcomes.filter((o) => o === 'won').length;
    if (outcomes.includes('BOTH')) broken.push(`round ${r}: two contenders held the lock at once`);
    if (!outcomes.includes('won'))
      broken.push(`round ${r}: nobody got the lock (${outcomes.join(', ')})`);
    for (const o of outcomes.filter((x) => x.startsWith('error') || x === 'timeout'))
      broken.push(`round ${r}: ${o}`);
    const left = fs.readdirSync(dir).filter((f) => !/^(go|done|ready)-/.test(f));
    if (left.length > 0) broken.push(`round ${r}: left behind: ${left.join(', ')}`);
    for (const f of left) fs.rmSync(path.join(dir, f), { force: true });
  }
  await Promise.all(closed);
  return { rounds: opts.rounds, wins, broken };
}

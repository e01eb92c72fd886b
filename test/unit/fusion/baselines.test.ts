/** The baselines every claim is measured against, on small hand-computed member-score tables. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bestSingle,
  greedySoup,
  lastCheckpoint,
  type MemberScore,
  swa,
} from '../../../src/fusion/baselines';

const s = (metric: number, loss: number): MemberScore => ({ metric, loss });

describe('best single checkpoint', () => {
  // Catches a flipped comparison (the worst checkpoint) or the first/last index returned blindly.
  test('picks the highest validation metric', () => {
    assert.deepEqual(
      bestSingle([s(0.8, 0.5), s(0.9, 0.6), s(0.7, 0.1), s(0.85, 0.2)]),
      [0, 1, 0, 0],
    );
  });

  // Catches ties broken by higher loss or by index alone.
  test('breaks a metric tie by the lower loss, then by the later checkpoint', () => {
    assert.deepEqual(bestSingle([s(0.9, 0.5), s(0.9, 0.4), s(0.8, 0.1)]), [0, 1, 0]);
    assert.deepEqual(bestSingle([s(0.9, 0.4), s(0.7, 0.1), s(0.9, 0.4)]), [0, 0, 1]);
  });
});

describe('last checkpoint and SWA', () => {
  // Catches "last" returning the first checkpoint, and SWA weights that do not sum to 1.
  test('last is the final member alone; SWA is the uniform average of all', () => {
    assert.deepEqual(lastCheckpoint(4), [0, 0, 0, 1]);
    assert.deepEqual(lastCheckpoint(1), [1]);
    assert.deepEqual(swa(4), [0.25, 0.25, 0.25, 0.25]);
  });
});

describe('greedy soup', () => {
  /** A soup evaluator from a table keyed by the sorted member set; records what was asked. */
  function tableEvaluator(table: Record<string, number>) {
    const asked: string[] = [];
    const evaluate = async (w: number[]) => {
      const key = w
        .map((v, i) => (v > 0 ? i : -1))
        .filter((i) => i >= 0)
        .join(',');
      asked.push(key);
      const metric = table[key];
      if (metric === undefined) throw new Error(`no table entry for soup {${key}}`);
      return { metric, loss: 1 - metric };
    };
    return { asked, evaluate };
  }

  // Members by metric: 1 (0.85), 2 (0.83), 0 (0.80), 3 (0.70).
  // {1,2} → 0.86: kept. {0,1,2} → 0.84: member 0 lowers the soup, dropped.
  // {1,2,3} → 0.86: equal, kept (the ≥ rule). Result: uniform over {1, 2, 3}.
  // Catches keeping a member that lowers the soup, a > rule, and a wrong visiting order.
  test('adds members best-first, drops one that lowers the soup, keeps one that ties', async () => {
    const scores = [s(0.8, 0.3), s(0.85, 0.4), s(0.83, 0.2), s(0.7, 0.1)];
    const { asked, evaluate } = tableEvaluator({ '1,2': 0.86, '0,1,2': 0.84, '1,2,3': 0.86 });
    const soup = await greedySoup(scores, evaluate);
    assert.deepEqual(asked, ['1,2', '0,1,2', '1,2,3']);
    assert.deepEqual(soup.weights, [0, 1 / 3, 1 / 3, 1 / 3]);
    assert.match(soup.notes[0]!, /start with checkpoint 1/);
    assert.match(soup.notes[2]!, /rejected checkpoint 0/);
    assert.match(soup.notes[3]!, /kept checkpoint 3/);
  });

  // Equal member metrics: the lower loss goes first. Every addition lowers the soup: the soup is
  // the best member alone. Catches a sort that ignores the loss and a soup that never shrinks.
  test('member ties are ordered by lower loss; a soup that never improves is the best member', async () => {
    const scores = [s(0.8, 0.5), s(0.8, 0.3), s(0.6, 0.2)];
    const { asked, evaluate } = tableEvaluator({ '0,1': 0.79, '1,2': 0.7 });
    const soup = await greedySoup(scores, evaluate);
    assert.deepEqual(asked, ['0,1', '1,2']);
    assert.deepEqual(soup.weights, [0, 1, 0]);
  });
});

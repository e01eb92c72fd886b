/**
 * The usual alternatives to BOMF, computed on the same checkpoints. Each returns
 * fusion weights; evaluation is passed in, so the caller decides where models
 * are evaluated (and can replay recorded evaluations on resume).
 */

export interface MemberScore {
  /** The member's validation value of the primary metric (higher is better). */
  metric: number;
  loss: number;
}

export type WeightsEvaluator = (weights: number[]) => Promise<MemberScore>;

export function oneHot(k: number, index: number): number[] {
  return Array.from({ length: k }, (_, i) => (i === index ? 1 : 0));
}

export function uniformWeights(members: number[], k: number): number[] {
  return Array.from({ length: k }, (_, i) => (members.includes(i) ? 1 / members.length : 0));
}

/** Best checkpoint by validation metric, ties by lower loss, then the later one. */
export function bestSingle(scores: MemberScore[]): number[] {
  let best = 0;
  scores.forEach((s, i) => {
    const b = scores[best]!;
    if (s.metric > b.metric || (s.metric === b.metric && s.loss <= b.loss)) best = i;
  });
  return oneHot(scores.length, best);
}

export function lastCheckpoint(k: number): number[] {
  return oneHot(k, k - 1);
}

/** SWA: the uniform average of all members. */
export function swa(k: number): number[] {
  return uniformWeights(
    Array.from({ length: k }, (_, i) => i),
    k,
  );
}

export interface GreedySoupResult {
  weights: number[];
  /** One line per member: why it was kept or rejected. */
  notes: string[];
}

/**
 * Greedy soup (Wortsman et al., 2022): members sorted by validation metric, each
 * added to the uniform soup in turn and kept only if the soup's validation metric
 * does not get worse (the paper's ≥ rule, so ties favour the larger soup).
 */
export async function greedySoup(
  scores: MemberScore[],
  evaluate: WeightsEvaluator,
): Promise<GreedySoupResult> {
  const k = scores.length;
  const order = scores
    .map((s, i) => ({ i, s }))
    .sort((a, b) => b.s.metric - a.s.metric || a.s.loss - b.s.loss)
    .map((e) => e.i);
  const soup = [order[0]!];
  let current = scores[order[0]!]!;
  const fmt = (v: number) => v.toFixed(4);
  const notes = [`start with checkpoint ${order[0]} (metric ${fmt(current.metric)})`];
  for (const candidate of order.slice(1)) {
    const trial = await evaluate(uniformWeights([...soup, candidate], k));
    if (trial.metric >= current.metric) {
      soup.push(candidate);
      notes.push(
        `kept checkpoint ${candidate}: soup metric ${fmt(current.metric)} → ${fmt(trial.metric)}`,
      );
      current = trial;
    } else {
      notes.push(
        `rejected checkpoint ${candidate}: soup metric would drop ${fmt(current.metric)} → ${fmt(trial.metric)}`,
      );
    }
  }
  return { weights: uniformWeights(soup, k), notes };
}

/**
 * The special-token layout of single and pair inputs, read from a tokenizer.json `post_processor`
 * (TemplateProcessing, BertProcessing or RobertaProcessing), and longest-first truncation.
 */

/** One slot of a template: a special token id, or sequence A / B, each with its token type id. */
export type TemplatePiece =
  | { special: number; typeId: number }
  | { sequence: 'A' | 'B'; typeId: number };

export interface PairLayout {
  single: TemplatePiece[];
  pair: TemplatePiece[];
}

type Json = Record<string, unknown>;

/** The BERT layout `[CLS] A [SEP]` / `[CLS] A [SEP] B [SEP]` with B's type id 1. */
export function bertLayout(clsId: number, sepId: number): PairLayout {
  return {
    single: [
      { special: clsId, typeId: 0 },
      { sequence: 'A', typeId: 0 },
      { special: sepId, typeId: 0 },
    ],
    pair: [
      { special: clsId, typeId: 0 },
      { sequence: 'A', typeId: 0 },
      { special: sepId, typeId: 0 },
      { sequence: 'B', typeId: 1 },
      { special: sepId, typeId: 1 },
    ],
  };
}

/** RoBERTa's `<s> A </s>` / `<s> A </s></s> B </s>`; every type id is 0 (type_vocab_size 1). */
export function robertaLayout(clsId: number, sepId: number): PairLayout {
  const s = (id: number): TemplatePiece => ({ special: id, typeId: 0 });
  return {
    single: [s(clsId), { sequence: 'A', typeId: 0 }, s(sepId)],
    pair: [
      s(clsId),
      { sequence: 'A', typeId: 0 },
      s(sepId),
      s(sepId),
      { sequence: 'B', typeId: 0 },
      s(sepId),
    ],
  };
}

/**
 * Reads the layout from a `post_processor` object. Returns undefined for a missing or unsupported
 * processor so the caller can report which file lacks one.
 */
export function layoutFromPostProcessor(
  processor: Json | null | undefined,
  idOf: (token: string) => number | undefined,
): PairLayout | undefined {
  if (!processor) return undefined;
  const type = processor.type;
  if (type === 'BertProcessing' || type === 'RobertaProcessing') {
    const [, clsId] = processor.cls as [string, number];
    const [, sepId] = processor.sep as [string, number];
    return type === 'BertProcessing' ? bertLayout(clsId, sepId) : robertaLayout(clsId, sepId);
  }
  if (type === 'TemplateProcessing') {
    const specials = (processor.special_tokens ?? {}) as Record<string, { ids: number[] }>;
    const parse = (items: Json[]): TemplatePiece[] =>
      items.flatMap((item): TemplatePiece[] => {
        if ('Sequence' in item) {
          const seq = item.Sequence as { id: 'A' | 'B'; type_id: number };
          return [{ sequence: seq.id, typeId: seq.type_id }];
        }
        const tok = item.SpecialToken as { id: string; type_id: number };
        const ids = specials[tok.id]?.ids ?? [idOf(tok.id)];
        return ids.map((id) => {
          if (id === undefined)
            throw new Error(`special token '${tok.id}' is not in the vocabulary`);
          return { special: id, typeId: tok.type_id };
        });
      });
    return { single: parse(processor.single as Json[]), pair: parse(processor.pair as Json[]) };
  }
  if (type === 'Sequence') {
    // A Sequence of processors (e.g. ByteLevel + TemplateProcessing): the template one decides.
    for (const p of (processor.processors ?? []) as Json[]) {
      const layout = layoutFromPostProcessor(p, idOf);
      if (layout) return layout;
    }
  }
  return undefined;
}

/** Number of special tokens a template adds. */
export function specialCount(template: TemplatePiece[]): number {
  return template.filter((p) => 'special' in p).length;
}

/**
 * Longest-first truncation as the tokenizers library does it: if `a` and `b` together exceed
 * `budget`, keep the shorter one whole when the longer one can absorb the cut, else give each half
 * the budget (the second sequence gets the odd token).
 */
export function truncateLongestFirst<T>(
  a: T[],
  b: T[] | undefined,
  budget: number,
): [T[], T[] | undefined] {
  budget = Math.max(0, budget);
  if (!b) return [a.slice(0, budget), undefined];
  if (a.length + b.length <= budget) return [a, b];
  const swap = a.length > b.length;
  let short = Math.min(a.length, b.length);
  let long = short > budget ? short : Math.max(short, budget - short);
  if (short + long > budget) {
    short = Math.floor(budget / 2);
    long = short + (budget % 2);
  }
  const [nA, nB] = swap ? [long, short] : [short, long];
  return [a.slice(0, nA), b.slice(0, nB)];
}

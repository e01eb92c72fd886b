import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { writeFileAtomic } from '../atomic-write';
import { separatorsToSpaces } from '../data/text-hygiene';
import {
  bertLayout,
  layoutFromPostProcessor,
  type PairLayout,
  robertaLayout,
  specialCount,
  type TemplatePiece,
  truncateLongestFirst,
} from './post-process';
import type { Encoding, Tokenizer } from './types';

/** The parsed content of a Hugging Face `tokenizer.json` (only the keys we read are typed). */
export interface TokenizerJson {
  model: { type: string; vocab: unknown; unk_token?: string | null; [key: string]: unknown };
  post_processor?: Record<string, unknown> | null;
  added_tokens?: { id: number; content: string; special?: boolean }[];
  [key: string]: unknown;
}

const PAD_NAMES = ['[PAD]', '<pad>'];
const MASK_NAMES = ['[MASK]', '<mask>'];
const UNK_NAMES = ['[UNK]', '<unk>'];

/**
 * A tokenizer backed by a `tokenizer.json` document. Splitting text into subword ids is delegated
 * to @huggingface/tokenizers (normalizer, pre-tokenizer and model as the file describes); special
 * tokens and truncation are applied here, because the library neither truncates nor follows
 * RoBERTa's all-zero token type ids.
 */
export class JsonTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  readonly unkId: number;
  private readonly lib: HfTokenizer;
  private readonly idsByToken: Map<string, number>;
  private readonly tokensById: string[];
  private readonly layout: PairLayout;

  /** @param source the file the document came from, named in error messages. */
  constructor(
    readonly json: TokenizerJson,
    source: string,
  ) {
    if (!json || typeof json !== 'object' || !json.model || typeof json.model !== 'object') {
      throw new Error(`${source}: not a tokenizer.json document (no "model" object)`);
    }
    try {
      this.lib = new HfTokenizer(json, {});
    } catch (err) {
      throw new Error(`${source}: cannot build the tokenizer: ${(err as Error).message}`);
    }
    this.idsByToken = this.lib.get_vocab(true);
    this.tokensById = [];
    for (const [token, id] of this.idsByToken) this.tokensById[id] = token;
    this.vocabSize = this.tokensById.length;

    const idOf = (t: string) => this.idsByToken.get(t);
    const firstOf = (names: (string | null | undefined)[]) =>
      names.map((n) => (n ? idOf(n) : undefined)).find((id) => id !== undefined) ?? -1;
    this.layout = layoutFromPostProcessor(json.post_processor, idOf) ?? this.defaultLayout(source);
    const specials = this.layout.single.filter((p) => 'special' in p) as { special: number }[];
    if (specials.length < 2) {
      throw new Error(
        `${source}: the post_processor's single template needs a start and an end token`,
      );
    }
    this.clsId = specials[0].special;
    this.sepId = specials[specials.length - 1].special;
    this.padId = firstOf(PAD_NAMES);
    if (this.padId < 0) throw new Error(`${source}: no padding token (${PAD_NAMES.join(' or ')})`);
    this.maskId = firstOf(MASK_NAMES);
    this.unkId = firstOf([json.model.unk_token, ...UNK_NAMES]);
  }

  private defaultLayout(source: string): PairLayout {
    const idOf = (t: string) => this.idsByToken.get(t);
    const bert = [idOf('[CLS]'), idOf('[SEP]')];
    if (bert[0] !== undefined && bert[1] !== undefined) return bertLayout(bert[0], bert[1]);
    const roberta = [idOf('<s>'), idOf('</s>')];
    if (roberta[0] !== undefined && roberta[1] !== undefined) {
      return robertaLayout(roberta[0], roberta[1]);
    }
    throw new Error(`${source}: no post_processor and no [CLS]/[SEP] or <s>/</s> tokens`);
  }

  /**
   * The library's subwords. Separators such as NEL (U+0085) become spaces first: BertNormalizer
   * deletes them as control characters, which would glue the words on either side into one.
   */
  private pieces(text: string) {
    return this.lib.encode(separatorsToSpaces(text), { add_special_tokens: false });
  }

  tokenize(text: string): string[] {
    return this.pieces(text).tokens;
  }

  encode(text: string, pair?: string, maxLength?: number): Encoding {
    const a = this.pieces(text).ids;
    const b = pair === undefined ? undefined : this.pieces(pair).ids;
    const template = b ? this.layout.pair : this.layout.single;
    const budget =
      maxLength === undefined ? Number.POSITIVE_INFINITY : maxLength - specialCount(template);
    const [ta, tb] = truncateLongestFirst(a, b, budget);
    return assemble(template, ta, tb ?? []);
  }

  idToToken(id: number): string {
    const token = this.tokensById[id];
    if (token === undefined) throw new RangeError(`token id ${id} is outside the vocabulary`);
    return token;
  }

  tokenToId(token: string): number | undefined {
    return this.idsByToken.get(token);
  }

  save(dir: string): void {
    writeFileAtomic(join(dir, 'tokenizer.json'), JSON.stringify(this.json));
    if (this.json.model.type === 'WordPiece') {
      writeFileAtomic(join(dir, 'vocab.txt'), `${this.tokensById.join('\n')}\n`);
    }
  }
}

function assemble(template: TemplatePiece[], a: number[], b: number[]): Encoding {
  const inputIds: number[] = [];
  const tokenTypeIds: number[] = [];
  for (const piece of template) {
    const ids = 'special' in piece ? [piece.special] : piece.sequence === 'A' ? a : b;
    for (const id of ids) {
      inputIds.push(id);
      tokenTypeIds.push(piece.typeId);
    }
  }
  return { inputIds, tokenTypeIds, attentionMask: inputIds.map(() => 1) };
}

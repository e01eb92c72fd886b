/** One encoded input: parallel arrays of length T (no padding; the batcher pads). */
export interface Encoding {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
}

/** A subword tokenizer with the model's special tokens and its pair layout. */
export interface Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly clsId: number;
  readonly sepId: number;
  /** -1 when the vocabulary has no mask token. */
  readonly maskId: number;
  /** -1 when the vocabulary has no unknown token (byte-level BPE never needs one). */
  readonly unkId: number;
  /**
   * `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]` (RoBERTa: `<s> A </s></s> B </s>`), truncated
   * longest-first so that the result, specials included, has at most `maxLength` tokens.
   */
  encode(text: string, pair?: string, maxLength?: number): Encoding;
  /** Subword tokens of `text`, without special tokens. */
  tokenize(text: string): string[];
  idToToken(id: number): string;
  tokenToId(token: string): number | undefined;
  /** Writes `tokenizer.json` (Hugging Face format), plus `vocab.txt` for WordPiece models. */
  save(dir: string): void;
}

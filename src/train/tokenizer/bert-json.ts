import type { TokenizerJson } from './json-tokenizer';

/**
 * A Hugging Face `tokenizer.json` document for a BERT WordPiece vocabulary (`vocab[id]` = token):
 * BertNormalizer (lowercasing and accent stripping iff `lowercase`), BertPreTokenizer, greedy
 * WordPiece with `##` continuations, and the `[CLS] A [SEP] B [SEP]` template. The vocabulary must
 * contain `[CLS]`, `[SEP]` and `[UNK]`.
 */
export function bertTokenizerJson(vocab: string[], lowercase: boolean): TokenizerJson {
  const ids = new Map(vocab.map((token, id) => [token, id]));
  const specialNames = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((t) => ids.has(t));
  for (const required of ['[CLS]', '[SEP]', '[UNK]']) {
    if (!ids.has(required)) throw new Error(`the vocabulary has no ${required} token`);
  }
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialNames.map((content) => ({
      id: ids.get(content)!,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [
        special('[CLS]', 0),
        sequence('A', 0),
        special('[SEP]', 0),
        sequence('B', 1),
        special('[SEP]', 1),
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [ids.get(t)!], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(ids),
    },
  };
}

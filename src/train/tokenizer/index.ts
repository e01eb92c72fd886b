export { bertTokenizerJson } from './bert-json';
export { JsonTokenizer, type TokenizerJson } from './json-tokenizer';
export { loadTokenizer, tokenizerFromJsonFile, tokenizerFromVocabFile } from './load';
export { trainWordPiece, type WordPieceTrainOptions } from './train-wordpiece';
export type { Encoding, Tokenizer } from './types';

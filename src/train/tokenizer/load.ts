import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bertTokenizerJson } from './bert-json';
import { JsonTokenizer, type TokenizerJson } from './json-tokenizer';
import type { Tokenizer } from './types';

/** The files a tokenizer is read from, in order of preference. */
export const TOKENIZER_FILES = ['tokenizer.json', 'vocab.txt'] as const;

/**
 * Loads the tokenizer of a model directory: `tokenizer.json` (WordPiece or BPE, any layout the
 * @huggingface/tokenizers package reads) if present, else a BERT `vocab.txt` (one token per line,
 * id = line index). For `vocab.txt`, lowercasing follows `do_lower_case` in `tokenizer_config.json`
 * when given, else it is assumed when the vocabulary has no upper-case word (as in uncased BERT).
 */
export function loadTokenizer(dir: string): Tokenizer {
  const jsonFile = join(dir, TOKENIZER_FILES[0]);
  if (existsSync(jsonFile)) return tokenizerFromJsonFile(jsonFile);
  const vocabFile = join(dir, TOKENIZER_FILES[1]);
  if (existsSync(vocabFile)) return tokenizerFromVocabFile(vocabFile, readDoLowerCase(dir));
  throw new Error(`${dir}: no tokenizer found (looked for ${TOKENIZER_FILES.join(' and ')})`);
}

/** Reads one `tokenizer.json` file. */
export function tokenizerFromJsonFile(file: string): Tokenizer {
  let json: TokenizerJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read tokenizer JSON: ${(err as Error).message}`);
  }
  return new JsonTokenizer(json, file);
}

/** Reads a BERT `vocab.txt`; `lowercase` undefined means "guess from the vocabulary". */
export function tokenizerFromVocabFile(file: string, lowercase?: boolean): Tokenizer {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const seen = new Map<string, number>();
  lines.forEach((token, i) => {
    const earlier = seen.get(token);
    if (earlier !== undefined) {
      throw new Error(`${file}:${i + 1}: token '${token}' repeats line ${earlier + 1}`);
    }
    seen.set(token, i);
  });
  const cased = lines.some((t) => !t.startsWith('[') && /[A-Z]/.test(t));
  try {
    return new JsonTokenizer(bertTokenizerJson(lines, lowercase ?? !cased), file);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith(file) ? message : `${file}: ${message}`);
  }
}

function readDoLowerCase(dir: string): boolean | undefined {
  const file = join(dir, 'tokenizer_config.json');
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')).do_lower_case;
    return typeof value === 'boolean' ? value : undefined;
  } catch (err) {
    throw new Error(`${file}: invalid JSON: ${(err as Error).message}`);
  }
}

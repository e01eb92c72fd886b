"""The reference row of bench/finetune-vs-tfidf.bench.ts: TF-IDF (word 1-2-grams,
sublinear tf) + scikit-learn's logistic regression (ridge for regression), its inverse
regularization C chosen on the validation split by the task's primary metric, which the
bench computes with the product's own metric code from the outputs printed here.

Reads a JSON file {task, classes, train, validation, test} (examples [text, pair|null, label]);
prints JSON {c, features, outputs: {validation: {C: rows}, test: {C: rows}}} — every C's
outputs, so the bench picks C with its own metric code. Sentence pairs are featurized as
the study's context row does (bench/study/context/tfidf.ts pairRow): the first text's row,
the second's, and their cosine similarity.

    /usr/bin/python3 bench/finetune-vs-tfidf.py splits.json
"""
import json
import os
import sys

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge

STRENGTHS = [0.25, 1, 4, 16]

d = json.load(open(sys.argv[1]))
pairs = any(e[1] is not None for e in d['train'])
vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
vec.fit([e[0] for e in d['train']] + ([e[1] or '' for e in d['train']] if pairs else []))


def featurize(examples):
    a = vec.transform([e[0] for e in examples])
    if not pairs:
        return a
    b = vec.transform([e[1] or '' for e in examples])
    cosine = sp.csr_matrix(np.asarray(a.multiply(b).sum(1)))
    return sp.hstack([a, b, cosine]).tocsr()


x = {split: featurize(d[split]) for split in ('train', 'validation', 'test')}
y = [e[2] for e in d['train']]
outputs = {'validation': {}, 'test': {}}
for c in STRENGTHS:
    if d['task'] == 'regression':
        model = Ridge(alpha=1 / c).fit(x['train'], y)
    else:
        model = LogisticRegression(C=c, max_iter=2000).fit(x['train'], y)
    for split in ('validation', 'test'):
        if d['task'] == 'regression':
            rows = model.predict(x[split])[:, None]
        else:  # a class absent from train gets a log-probability of -1e9
            rows = np.full((x[split].shape[0], d['classes']), -1e9)
            rows[:, model.classes_] = model.predict_log_proba(x[split])
        outputs[split][str(c)] = rows.tolist()
print(json.dumps({
    'features': x['train'].shape[1],
    'sklearn': sklearn.__version__,
    'threads': {k: os.environ.get(k) for k in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')},
    'outputs': outputs,
}))

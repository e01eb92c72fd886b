"""Fine-tuning recipes for the shipped encoder, replayed in PyTorch, where a variant (pooling,
per-part learning rates, epochs) is a flag rather than a product change. Not part of the
product: it compared the recipes recorded in docs/model-card.md (round 4). Starts from the shipped bomf-tiny weights and the exact subsets of
`npm run bench -- finetune-vs-tfidf` (export-tasks.ts writes both), fine-tunes like that bench
(AdamW 0.9/0.98/1e-6, weight decay 0.1 except biases and LayerNorm, warm-up 10 % then linear
decay, clipping at 1, final model) and scores with that bench's metrics. Each recipe runs every
learning rate of --lrs on every seed; the rate is chosen by mean validation score, test reported.

    npx tsx bench/pretrain-ablation/export-tasks.ts /tmp/ft

The runs of docs/model-card.md's round 4 (OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1):
    F="/usr/bin/python3 bench/pretrain-ablation/finetune.py /tmp/ft"
    ALL=SST-2,RTE,MRPC,CoLA,STS-B,TREC
    $F --tasks $ALL --lrs 3e-4,1e-3,3e-3 --pooling cls
    $F --tasks $ALL --lrs 3e-4,1e-3,3e-3 --pooling mean
    $F --tasks RTE,MRPC,CoLA,STS-B,TREC --lrs 1e-3,3e-3 --pooling mean --epochs 5
    $F --tasks SST-2,RTE,STS-B,TREC --lrs 1e-3,3e-3 --pooling mean --body-lr-scale 0.3
    $F --tasks STS-B,TREC --lrs 1e-3,3e-3 --pooling cls --epochs 5
Round 5 (encoders saved by ablation.py; /tmp/ablation/cooc.pt is `ablation.py /tmp/ablation
--mlm-steps 0 --save /tmp/ablation/cooc.pt --tasks ''`, the co-occurrence start):
    $F --tasks STS-B --pair-encoding bi --lrs 1e-4,3e-4,1e-3
    $F --tasks STS-B --pair-encoding bi --lrs 3e-4,1e-3 --epochs 5
    $F --load /tmp/ablation/cooc.pt --tasks STS-B --pair-encoding bi --lrs 3e-4,1e-3 --epochs 5
    $F --load /tmp/ablation/cooc.pt --tasks STS-B --pair-encoding bi --lrs 1e-3,3e-3
    $F --load /tmp/ablation/cooc.pt --tasks MRPC,RTE --pair-encoding bi --lrs 1e-3,3e-3
    $F --load /tmp/ablation/long.pt --tasks $ALL --lrs 1e-3,3e-3
Round 7: word embeddings fixed while fine-tuning (the shipped weights, then the co-occurrence start):
    $F --tasks SST-2,TREC,MRPC,RTE --lrs 1e-3,3e-3 --freeze-word-embeddings
    $F --load /tmp/ablation/cooc.pt --tasks SST-2,TREC,MRPC,RTE --lrs 1e-3,3e-3 --freeze-word-embeddings
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import f1_score, matthews_corrcoef

from replay_model import Encoder, adamw, hf_init, layer_count, linear_schedule, set_lr

p = argparse.ArgumentParser()
p.add_argument('data', help='directory written by export-tasks.ts')
p.add_argument('--pooling', choices=['cls', 'mean'], default='cls',
               help='what the pooler reads: the [CLS] row, or the mean of the non-padding rows')
p.add_argument('--pair-encoding', choices=['cross', 'bi'], default='cross',
               help='bi: a pair\'s two sentences encoded separately and mean-pooled (u, v); a regression task '
                    'scores their cosine (trained towards score / 5, as sentence-transformers\' '
                    'CosineSimilarityLoss), a classification task classifies [u, v, |u - v|] (its SoftmaxLoss)')
p.add_argument('--load', help='start from an encoder saved by ablation.py --save instead of the shipped weights')
p.add_argument('--lrs', default='1e-3', help='comma-separated peak learning rates (of the head)')
p.add_argument('--body-lr-scale', type=float, default=1.0,
               help='the encoder body (embeddings and layers) trains at this fraction of the rate')
p.add_argument('--epochs', type=int, default=2)
p.add_argument('--freeze-word-embeddings', action='store_true',
               help='fine-tune with the word embeddings fixed (words unseen in training keep their place)')
p.add_argument('--weight-decay', type=float, default=0.1)
p.add_argument('--tasks', default='SST-2')
p.add_argument('--seeds', default='0,1,2', help='each seed draws the subsets and seeds the fine-tuning')
a = p.parse_args()
torch.set_num_threads(1)
print(f'torch threads {torch.get_num_threads()}, OPENBLAS_NUM_THREADS={os.environ.get("OPENBLAS_NUM_THREADS")}, '
      f'OMP_NUM_THREADS={os.environ.get("OMP_NUM_THREADS")}', flush=True)

index = json.load(open(os.path.join(a.data, 'weights', 'index.json')))


def tensor(name):
    entry = index[name]
    raw = np.fromfile(os.path.join(a.data, 'weights', entry['file']), dtype=np.float32)
    return torch.from_numpy(raw.reshape(entry['shape']))


def shipped_state():
    """The shipped weights under the replay's names (query, key, value fused as [q | k | v])."""
    e, layers = 'bert.embeddings.', 'bert.encoder.layer.'
    state = {'words.weight': tensor(e + 'word_embeddings.weight'),
             'positions.weight': tensor(e + 'position_embeddings.weight'),
             'types.weight': tensor(e + 'token_type_embeddings.weight'),
             'ln.weight': tensor(e + 'LayerNorm.weight'), 'ln.bias': tensor(e + 'LayerNorm.bias')}
    parts = {'out': 'attention.output.dense', 'ln1': 'attention.output.LayerNorm',
             'up': 'intermediate.dense', 'down': 'output.dense', 'ln2': 'output.LayerNorm'}
    n = 1 + max(int(k.split('.')[3]) for k in index if k.startswith(layers))
    for i in range(n):
        pre = f'{layers}{i}.'
        for kind in ('weight', 'bias'):
            state[f'layers.{i}.qkv.{kind}'] = torch.cat(
                [tensor(f'{pre}attention.self.{q}.{kind}') for q in ('query', 'key', 'value')])
            for ours, theirs in parts.items():
                state[f'layers.{i}.{ours}.{kind}'] = tensor(f'{pre}{theirs}.{kind}')
    return state


STATE = torch.load(a.load)[0] if a.load else shipped_state()
V, H = STATE['words.weight'].shape
LAYERS = layer_count(STATE)


class Classifier(nn.Module):
    def __init__(self, outputs):
        super().__init__()
        self.enc, self.pool, self.drop, self.out = Encoder(V, H, LAYERS), nn.Linear(H, H), nn.Dropout(0.1), nn.Linear(H, outputs)
        hf_init(self)
        self.enc.load_state_dict(STATE)

    def forward(self, ids, types, mask):
        hidden = self.enc(ids, types, mask)
        if a.pooling == 'cls':
            first = hidden[:, 0]
        else:
            m = mask[:, :, None].float()
            first = (hidden * m).sum(1) / m.sum(1)
        return self.out(self.drop(torch.tanh(self.pool(first))))


class BiEncoder(nn.Module):
    """The two sentences of a pair encoded separately ([CLS] A [SEP] and [CLS] B [SEP]), the mean of
    each one's token vectors: compared by cosine (no parameters beyond the encoder's), or, with
    `classes`, classified from [u, v, |u - v|]."""
    def __init__(self, classes=None):
        super().__init__()
        self.enc = Encoder(V, H, LAYERS)
        self.out = nn.Linear(3 * H, classes) if classes else None
        hf_init(self)
        self.enc.load_state_dict(STATE)

    def embed(self, ids, mask):
        hidden = self.enc(ids, torch.zeros_like(ids), mask)
        m = mask[:, :, None].float()
        return (hidden * m).sum(1) / m.sum(1)

    def forward(self, ids, types, mask):
        a_ids, a_mask, b_ids, b_mask = split_pairs(ids, types, mask)
        u, v = self.embed(a_ids, a_mask), self.embed(b_ids, b_mask)
        if self.out is None:
            return F.cosine_similarity(u, v)[:, None]
        return self.out(torch.cat([u, v, (u - v).abs()], -1))


def split_pairs(ids, types, mask):
    """[CLS] A [SEP] B [SEP] rows → [CLS] A [SEP] and [CLS] B [SEP] rows, padded."""
    firsts, seconds = [], []
    for row, kinds, m in zip(ids.tolist(), types.tolist(), mask.tolist()):
        n = sum(m)
        firsts.append([t for t, k in zip(row[:n], kinds[:n]) if k == 0])
        seconds.append([row[0]] + [t for t, k in zip(row[:n], kinds[:n]) if k == 1])
    def padded(rows):
        t = max(map(len, rows))
        return (torch.tensor([r + [0] * (t - len(r)) for r in rows]),
                torch.tensor([[1] * len(r) + [0] * (t - len(r)) for r in rows]))
    return (*padded(firsts), *padded(seconds))


def batches(rows, size, generator=None):
    order = torch.randperm(len(rows), generator=generator).tolist() if generator else list(range(len(rows)))
    for i in range(0, len(order), size):
        chunk = [rows[j] for j in order[i:i + size]]
        t = max(len(c[0]) for c in chunk)
        pad = lambda xs: xs + [0] * (t - len(xs))  # noqa: E731
        yield (torch.tensor([pad(c[0]) for c in chunk]), torch.tensor([pad(c[1]) for c in chunk]),
               torch.tensor([pad([1] * len(c[0])) for c in chunk]), [c[2] for c in chunk])


def score(model, rows, data):
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(i, t, m) for i, t, m, _ in batches(rows, 128)])
    labels = np.array([r[2] for r in rows])
    if data['task'] == 'regression':
        return float(np.corrcoef(out[:, 0].numpy(), labels)[0, 1])
    pred = out.argmax(-1).numpy()
    metric = data['metric']
    if metric == 'f1':
        return float(f1_score(labels, pred))
    if metric == 'mcc':
        return float(matthews_corrcoef(labels, pred))
    return float((pred == labels).mean())


def fine_tune(data, lr, seed):
    torch.manual_seed(seed)
    regression = data['task'] == 'regression'
    bi = a.pair_encoding == 'bi'
    if bi:
        model = BiEncoder(None if regression else data['classes'])
        head = [] if regression else list(model.out.parameters())
    else:
        model = Classifier(1 if regression else data['classes'])
        head = list(model.pool.parameters()) + list(model.out.parameters())
    model.enc.words.weight.requires_grad = not a.freeze_word_embeddings
    opt = adamw([(list(model.enc.parameters()), a.body_lr_scale), (head, 1.0)], lr, a.weight_decay)
    g = torch.Generator().manual_seed(seed)
    size = data['batchSize']
    total = a.epochs * math.ceil(len(data['train']) / size)
    step = 0
    for _ in range(a.epochs):
        for ids, types, mask, y in batches(data['train'], size, g):
            step += 1
            set_lr(opt, linear_schedule(step, total, int(0.1 * total), lr))
            model.train()
            out = model(ids, types, mask)
            target = torch.tensor(y, dtype=torch.float32) / (5 if bi else 1)
            loss = F.mse_loss(out[:, 0], target) if regression \
                else F.cross_entropy(out, torch.tensor(y))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
    return score(model, data['validation'], data), score(model, data['test'], data)


t0 = time.time()
recipe = f'freeze_word_embeddings={a.freeze_word_embeddings} pooling={a.pooling} pair_encoding={a.pair_encoding} body_lr_scale={a.body_lr_scale} epochs={a.epochs} weight_decay={a.weight_decay}'
for task in filter(None, a.tasks.split(',')):
    seeds = list(map(int, a.seeds.split(',')))
    sets = {s: json.load(open(os.path.join(a.data, f'{task}-{s}.json'))) for s in seeds}
    by_lr = {}
    for lr in map(float, a.lrs.split(',')):
        by_lr[lr] = [fine_tune(sets[s], lr, s) for s in seeds]
        r = np.array(by_lr[lr])
        print(f'{task} {recipe} lr {lr}: validation {r[:, 0].mean():.3f}, test {r[:, 1].mean():.3f} ± '
              f'{r[:, 1].std(ddof=1) if len(r) > 1 else 0:.3f} (per seed {np.round(r[:, 1], 3).tolist()}), '
              f'{time.time() - t0:.0f} s', flush=True)
    best = max(by_lr, key=lambda lr: np.mean([r[0] for r in by_lr[lr]]))
    r = np.array(by_lr[best])
    print(f'{task} {recipe} SELECTED lr {best}: validation {r[:, 0].mean():.3f}, test {r[:, 1].mean():.3f}', flush=True)

"""Ablation of the bomf-tiny pre-training recipe, replayed in PyTorch (fast enough to try
several variants in the time one TF.js run takes). Not part of the product: it explains the
choices recorded in docs/model-card.md.

Same architecture as bomf-tiny (BERT post-LayerNorm, 2 layers unless --layers, hidden 128,
2 heads, intermediate 512), same masked-LM objective (15 %, 80/10/10, tied decoder), AdamW
(0.9, 0.98, eps 1e-6, decay 0.01 except biases and LayerNorm), linear warm-up and decay,
clipping at 1. Then fine-tuning as in bench/pretrained-vs-random.bench.ts (its epochs and
batch sizes, warm-up 10 % then linear decay): [CLS] pooler + classifier; mean accuracy over
fine-tuning seeds 0 and 1.

    npx tsx bench/pretrain-ablation/export.ts /tmp/ablation
    /usr/bin/python3 bench/pretrain-ablation/ablation.py /tmp/ablation --embeddings random --mlm-steps 0
    /usr/bin/python3 bench/pretrain-ablation/ablation.py /tmp/ablation --embeddings cooccurrence --mlm-steps 3000

The runs of docs/model-card.md's round 3 (OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1, SST-2-main):
    A="/usr/bin/python3 bench/pretrain-ablation/ablation.py /tmp/ablation --seeds 0,1,2"
    $A --mlm-steps 0 --save /tmp/ablation/a.pt
    $A --mlm-steps 3000 --lr 3e-4 --save /tmp/ablation/b.pt
    $A --mlm-steps 3000 --lr 3e-4 --simcse-weight 1 --save /tmp/ablation/c.pt
    $A --mlm-steps 1000 --warmup 100 --lr 3e-4 --simcse-weight 1 --mlm-weight 0 --fine-tune-lrs 5e-4 --save /tmp/ablation/d.pt
    $A --mlm-steps 1000 --warmup 100 --lr 3e-4 --simcse-weight 1 --save /tmp/ablation/e.pt
    $A --load /tmp/ablation/e.pt --fresh-pooler --fine-tune-lrs 5e-4
    $A --mlm-steps 1000 --warmup 100 --lr 3e-4 --fine-tune-lrs 5e-4            # (b')
    $A --mlm-steps 1000 --warmup 100 --lr 3e-4 --simcse-weight 0.1 --fine-tune-lrs 5e-4   # (f)
Round 5 (docs/model-card.md): eight times the masked-LM, and the layers alone on frozen vectors:
    $A --mlm-steps 24000 --batch-size 16 --lr 5e-4 --warmup 1000 --save /tmp/ablation/long.pt --save-every 6000 --fine-tune-lrs 5e-4,1e-3
    $A --load /tmp/ablation/long.pt.step12000 --fine-tune-lrs 5e-4,1e-3      # likewise step6000, step18000
    $A --mlm-steps 6000 --batch-size 16 --lr 5e-4 --warmup 500 --freeze-word-embeddings --save /tmp/ablation/frozen.pt --fine-tune-lrs 5e-4,1e-3
Round 7: more licensed text (assets/corpus/extra-corpus.txt.gz, now part of the recipe's corpus;
build-extra-corpus.py --parts /tmp/extra writes its sources apart), with export.ts given the corpus:
    C=assets/corpus/pretrain-corpus.txt.gz
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-base $C                      # the old corpus
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-wn $C /tmp/extra/wordnet.txt
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-all                          # the recipe's
    B="/usr/bin/python3 bench/pretrain-ablation/ablation.py --seeds 0,1,2"
    $B /tmp/abl-base --mlm-steps 0; $B /tmp/abl-wn --mlm-steps 0; $B /tmp/abl-all --mlm-steps 0
    $B /tmp/abl-all --mlm-steps 24000 --batch-size 16 --lr 5e-4 --warmup 1000 --save /tmp/abl-all/long.pt --save-every 6000 --fine-tune-lrs 5e-4,1e-3
Round 8: the WordPiece vocabulary's size (export.ts --vocab-size) and the depth (--layers):
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-v16 --vocab-size 16000     # likewise /tmp/abl-v32, 32000
    $B /tmp/abl-v16 --mlm-steps 0; $B /tmp/abl-v32 --mlm-steps 0
    $B /tmp/abl-v16 --mlm-steps 24000 --batch-size 16 --lr 5e-4 --warmup 1000 --save /tmp/abl-v16/long.pt --save-every 6000 --fine-tune-lrs 5e-4,1e-3
    $B /tmp/abl-all --layers 4 --mlm-steps 12000 --batch-size 16 --lr 5e-4 --warmup 1000 --save /tmp/abl-all/l4.pt   # stopped at step 4,000
Round 9: a second masked-LM phase on the task texts alone (task-adaptive, Gururangan et al. 2020),
sentence-order prediction (ALBERT) as a second phase, and four layers at the shipped compute:
    /usr/bin/python3 assets/corpus/build-corpus.py /work/shared/data --tasks-only /tmp/task-texts.txt
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-tapt --adapt-corpus /tmp/task-texts.txt
    T="$B /tmp/abl-tapt --tasks SST-2-main,RTE --continue-from /tmp/abl-all/long.pt --batch-size 16 --warmup 200 --mlm-steps 4000"
    $T --mlm-corpus adapt --lr 1e-4 --save /tmp/abl-tapt/t1e4.pt        # likewise --lr 3e-4
    $T --lr 1e-4 --sop-weight 1 --save /tmp/abl-tapt/sop.pt
    $B /tmp/abl-all --tasks SST-2-main,RTE --layers 4 --mlm-steps 12000 --batch-size 16 --lr 5e-4 --warmup 1000 --save /tmp/abl-all/l4.pt --save-every 6000
Round 10: GloVe word vectors (assets/corpus/glove-6b-100d.txt.gz; export.ts writes both starting
tables for the recipe's 32,000-token vocabulary), their scale, and masked-LM with them frozen:
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-g32
    G="$B /tmp/abl-g32 --embeddings word-vectors"
    $G --mlm-steps 0; $G --mlm-steps 0 --embeddings-scale 3; $G --mlm-steps 0 --fine-tune-frozen-embeddings
    $G --embeddings-scale 3 --freeze-word-embeddings --mlm-steps 10000 --batch-size 16 --lr 5e-4 --warmup 1000 --save /tmp/abl-g32/frozen10k.pt --save-every 2500
    $G --tasks SST-2-main --embeddings-scale 3 --freeze-word-embeddings --mlm-steps 4000 --batch-size 16 --lr 5e-4 --warmup 400 --save /tmp/abl-g32/frozen4k.pt --save-every 2000   # shipped
Round 11: 6,000- and 5,000-step schedules, twice the width, and the word embeddings' fine-tuning rate:
    $G --tasks SST-2-main --embeddings-scale 3 --freeze-word-embeddings --mlm-steps 6000 --batch-size 16 --lr 5e-4 --warmup 600 --save /tmp/abl-g32/frozen6k.pt --save-every 1000
    $G --tasks "" --embeddings-scale 3 --freeze-word-embeddings --mlm-steps 5000 --batch-size 16 --lr 5e-4 --warmup 500 --save /tmp/abl-g32/frozen5k.pt
    npx tsx bench/pretrain-ablation/export.ts /tmp/abl-h256 --hidden-size 256
    $B /tmp/abl-h256 --tasks SST-2-main --embeddings word-vectors --embeddings-scale 3 --mlm-steps 0
    $G --tasks SST-2-main --embeddings-scale 3 --mlm-steps 0 --embedding-lr-scale 0.2   # likewise 0.5, 1, 3
A saved encoder becomes a model folder with dump-weights.py, then import-weights.ts (given the
same --vocab-size as export.ts).
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

from replay_model import Encoder, adamw, hf_init, layer_count, linear_schedule, set_lr

p = argparse.ArgumentParser()
p.add_argument('data', help='directory written by export.ts')
p.add_argument('--embeddings', choices=['random', 'cooccurrence', 'word-vectors'], default='cooccurrence',
               help='word embeddings to start from (export.ts writes both tables; word-vectors: round 10)')
p.add_argument('--embeddings-scale', type=float, default=1.0,
               help='multiply the starting word embeddings (their standard deviation is 0.02 as written)')
p.add_argument('--fine-tune-frozen-embeddings', action='store_true',
               help='keep the word embeddings fixed while fine-tuning (the layers, pooler and classifier train)')
p.add_argument('--embedding-lr-scale', type=float, default=1.0,
               help="fine-tune the word embeddings at this fraction of the rate (discriminative rates, ULMFiT's idea)")
p.add_argument('--mlm-steps', type=int, default=0, help='0 = no masked-LM training')
p.add_argument('--layers', type=int, default=2,
               help='transformer layers (bomf-tiny: 2); with --continue-from, the saved state\'s')
p.add_argument('--batch-size', type=int, default=8)
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--warmup', type=int, default=150)
p.add_argument('--tasks', default='SST-2-main', help='comma-separated: SST-2-main (the main job\'s subset), SST-2, RTE')
p.add_argument('--save', help='write the pre-trained encoder (and pooler) state here')
p.add_argument('--save-every', type=int, default=0,
               help='also write the state every N masked-LM steps, to SAVE.stepN (to fine-tune a long run\'s checkpoints)')
p.add_argument('--load', help='fine-tune this saved state instead of pre-training')
p.add_argument('--continue-from', help='start masked-LM from this saved state (encoder and masked-LM head), '
                                       'not from the initialisation: a second phase (round 9)')
p.add_argument('--mlm-corpus', choices=['packed', 'adapt'], default='packed',
               help='masked-LM sequences: the recipe\'s corpus, or the one export.ts --adapt-corpus packed')
p.add_argument('--fresh-pooler', action='store_true', help='fine-tune with a new pooler, not the pre-trained one')
p.add_argument('--fine-tune-lrs', default='5e-4,1e-3')
p.add_argument('--seeds', default='0,1', help='fine-tuning seeds')
p.add_argument('--simcse-weight', type=float, default=0.0,
               help='weight of the sentence-level contrastive loss on the pooled [CLS] of single corpus lines '
                    '(two dropout passes = positives, the other lines of the batch = negatives); 0 = off')
p.add_argument('--freeze-word-embeddings', action='store_true',
               help='keep the word embeddings (and so the tied decoder) at their start, the co-occurrence vectors: '
                    'masked-LM trains the layers only')
p.add_argument('--mlm-weight', type=float, default=1.0, help='0 = contrastive objective only')
p.add_argument('--sop-weight', type=float, default=0.0,
               help='weight of sentence-order prediction (ALBERT): segments A and B of a packed sequence are '
                    'swapped with probability 1/2 and the pooled [CLS] predicts whether they were; 0 = off')
p.add_argument('--simcse-batch', type=int, default=32)
p.add_argument('--simcse-temperature', type=float, default=0.05)
a = p.parse_args()
if a.continue_from and (a.load or a.mlm_steps == 0):
    p.error('--continue-from starts a masked-LM phase: give it --mlm-steps, and not --load')
torch.set_num_threads(1)  # one thread ran about twice as fast as two on the 2-core machine
print(f'torch threads {torch.get_num_threads()}, OPENBLAS_NUM_THREADS={os.environ.get("OPENBLAS_NUM_THREADS")}, '
      f'OMP_NUM_THREADS={os.environ.get("OMP_NUM_THREADS")}', flush=True)
t0 = time.time()
torch.manual_seed(42)
meta = json.load(open(os.path.join(a.data, 'meta.json')))
trains_pooler = a.simcse_weight > 0 or a.sop_weight > 0  # else the pooler stays at its initialisation
V, H, T = meta['vocabSize'], meta['hiddenSize'], meta['length']


def save_state(path, encoder, pooler, mlm_head):
    """The encoder (and, with a sentence-level objective, the pooler) and the masked-LM head, plus
    the pooled [CLS] vectors of a probe batch that import-weights.ts checks its forward pass against."""
    state = encoder.state_dict()
    pool_state = pooler.state_dict() if pooler is not None and trains_pooler else None
    probe = torch.tensor([[meta['cls']] + list(range(100, 140)) + [meta['sep']]] * 2)
    probe[1, 20:] = meta['pad']
    was_training = encoder.training
    encoder.eval()
    with torch.no_grad():
        hidden = encoder(probe, torch.zeros_like(probe), (probe != meta['pad']).long())[:, 0]
        pooled = torch.tanh(pooler(hidden)) if pooler is not None else hidden
    encoder.train(was_training)
    reference = {'ids': probe.tolist(), 'pooled': pooled.tolist()}
    torch.save((state, pool_state, mlm_head, reference), path)  # dump-weights.py reads it


def sentence_order_swap(x, tt, g):
    """Swaps segments A and B of each packed row [CLS] A [SEP] B [SEP] in place with probability 1/2
    (token types follow the new order); returns 1 where swapped, 0 where kept, -1 where a row has no B."""
    swapped = torch.full((len(x),), -1, dtype=torch.long)
    for i in range(len(x)):
        seps = (x[i] == meta['sep']).nonzero().flatten()
        if len(seps) < 2 or not (tt[i] == 1).any():
            continue
        swapped[i] = int(torch.rand((), generator=g) < 0.5)
        if swapped[i]:
            first, end = seps[0].item(), seps[1].item()
            seg_a, seg_b = x[i, 1:first].clone(), x[i, first + 1:end].clone()
            x[i, 1:end + 1] = torch.cat([seg_b, torch.tensor([meta['sep']]), seg_a, torch.tensor([meta['sep']])])
            tt[i, 1:len(seg_b) + 2] = 0
            tt[i, len(seg_b) + 2:end + 1] = 1
    return swapped


def pretrained_encoder():
    continued = torch.load(a.continue_from) if a.continue_from else None  # (state, pooler, head, probe)
    enc = Encoder(V, H, layer_count(continued[0]) if continued else a.layers)
    hf_init(enc)
    if a.embeddings != 'random':
        table = np.fromfile(os.path.join(a.data, f'{a.embeddings}-embeddings.f32'), dtype=np.float32)
        enc.words.weight.data = torch.from_numpy(table.reshape(V, H)) * a.embeddings_scale
    if a.mlm_steps == 0:
        return enc, None, None
    ids = torch.from_numpy(np.fromfile(os.path.join(a.data, f'{a.mlm_corpus}-ids.i32'), dtype=np.int32).astype(np.int64)).view(-1, T)
    types = torch.from_numpy(np.fromfile(os.path.join(a.data, f'{a.mlm_corpus}-types.i32'), dtype=np.int32).astype(np.int64)).view(-1, T)
    attention = (ids != meta['pad']).long()
    special = torch.zeros(V, dtype=torch.bool)
    special[meta['specials']] = True
    first_regular = max(meta['specials']) + 1
    head_dense, head_ln, head_bias = nn.Linear(H, H), nn.LayerNorm(H, eps=1e-12), nn.Parameter(torch.zeros(V))
    hf_init(head_dense)
    pool = nn.Linear(H, H)
    hf_init(pool)
    model = nn.ModuleDict({'enc': enc, 'dense': head_dense, 'ln': head_ln, 'pool': pool})
    if a.sop_weight > 0:  # built only when used, so the other recipes' random draws stay as they were
        sop_out = nn.Linear(H, 2)
        hf_init(sop_out)
        model['sop'] = sop_out
    line_ids = np.fromfile(os.path.join(a.data, 'line-ids.i32'), dtype=np.int32).astype(np.int64)
    offsets = np.fromfile(os.path.join(a.data, 'line-offsets.i32'), dtype=np.int32)
    usable = np.nonzero(offsets[1:] - offsets[:-1] >= 4)[0]  # at least two word pieces
    model.register_parameter('bias', head_bias)
    if continued:
        state, _, head, _ = continued
        enc.load_state_dict(state)
        head_dense.load_state_dict(head['dense'])
        head_ln.load_state_dict(head['ln'])
        head_bias.data.copy_(head['bias'])
    enc.words.weight.requires_grad = not a.freeze_word_embeddings

    def mlm_head_state():
        return {'dense': head_dense.state_dict(), 'ln': head_ln.state_dict(), 'bias': head_bias.data}

    opt = adamw(model, a.lr)
    g = torch.Generator().manual_seed(42)
    order, cursor, window = torch.randperm(len(ids), generator=g), 0, []
    for step in range(a.mlm_steps):
        if cursor + a.batch_size > len(ids):
            order, cursor = torch.randperm(len(ids), generator=g), 0
        rows = order[cursor:cursor + a.batch_size]
        cursor += a.batch_size
        x, tt = ids[rows].clone(), types[rows].clone()
        if a.sop_weight > 0:
            swapped = sentence_order_swap(x, tt, g)
        selected = (torch.rand(x.shape, generator=g) < 0.15) & ~special[x]
        labels = x[selected]
        r = torch.rand(x.shape, generator=g)
        x[selected & (r < 0.8)] = meta['mask']
        swap = selected & (r >= 0.8) & (r < 0.9)
        x[swap] = torch.randint(first_regular, V, (int(swap.sum()),), generator=g)
        for group in opt.param_groups:
            group['lr'] = linear_schedule(step + 1, a.mlm_steps, a.warmup, a.lr)
        model.train()
        loss, parts = torch.zeros(()), []
        states = enc(x, tt, attention[rows]) if a.mlm_weight > 0 or a.sop_weight > 0 else None
        if a.mlm_weight > 0:
            hidden = states.reshape(-1, H)[selected.reshape(-1)]
            logits = head_ln(F.gelu(head_dense(hidden))) @ enc.words.weight.T + head_bias
            parts.append(F.cross_entropy(logits, labels))
            loss = loss + a.mlm_weight * parts[-1]
        if a.sop_weight > 0:
            has_b = swapped >= 0
            order_logits = sop_out(torch.tanh(pool(states[has_b, 0])))
            parts.append(F.cross_entropy(order_logits, swapped[has_b]))
            loss = loss + a.sop_weight * parts[-1]
        if a.simcse_weight > 0:
            picks = usable[torch.randint(len(usable), (a.simcse_batch,), generator=g).numpy()]
            seqs = [line_ids[offsets[i]:offsets[i + 1]].tolist() for i in picks]
            t = max(map(len, seqs))
            s_ids = torch.tensor([q + [meta['pad']] * (t - len(q)) for q in seqs])
            s_mask = (s_ids != meta['pad']).long()
            both = torch.cat([s_ids, s_ids]), torch.zeros(2 * len(seqs), t, dtype=torch.long), torch.cat([s_mask, s_mask])
            z = F.normalize(torch.tanh(pool(enc(*both)[:, 0])), dim=-1)
            z1, z2 = z[:len(seqs)], z[len(seqs):]
            sim = z1 @ z2.T / a.simcse_temperature
            parts.append(F.cross_entropy(sim, torch.arange(len(seqs))))
            loss = loss + a.simcse_weight * parts[-1]
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        window.append([q.item() for q in parts])
        if (step + 1) % 500 == 0 or step + 1 == a.mlm_steps:
            print(f'step {step + 1}: losses (masked-LM, sentence order, contrastive as enabled) {np.round(np.mean(window, 0), 3).tolist()} '
                  f'(mean of the last {len(window)}), {time.time() - t0:.0f} s', flush=True)
            window = []
        if a.save and a.save_every and (step + 1) % a.save_every == 0:
            save_state(f'{a.save}.step{step + 1}', enc, pool, mlm_head_state())
    return enc, pool, mlm_head_state()


class Classifier(nn.Module):
    def __init__(self, encoder_state, pool_state):
        super().__init__()
        self.enc, self.pool, self.drop, self.out = Encoder(V, H, layer_count(encoder_state)), nn.Linear(H, H), nn.Dropout(0.1), nn.Linear(H, 2)
        hf_init(self)
        self.enc.load_state_dict(encoder_state)
        if pool_state is not None:
            self.pool.load_state_dict(pool_state)
        self.enc.words.weight.requires_grad = not a.fine_tune_frozen_embeddings

    def forward(self, ids, types, mask):
        return self.out(self.drop(torch.tanh(self.pool(self.enc(ids, types, mask)[:, 0]))))


def batches(rows, size, generator=None):
    order = torch.randperm(len(rows), generator=generator).tolist() if generator else range(len(rows))
    order = list(order)
    for i in range(0, len(order), size):
        chunk = [rows[j] for j in order[i:i + size]]
        t = max(len(c[0]) for c in chunk)
        pad = lambda xs: xs + [0] * (t - len(xs))  # noqa: E731
        yield (torch.tensor([pad(c[0]) for c in chunk]), torch.tensor([pad(c[1]) for c in chunk]),
               torch.tensor([pad([1] * len(c[0])) for c in chunk]), torch.tensor([c[2] for c in chunk]))


def accuracy(model, rows):
    model.eval()
    with torch.no_grad():
        hits = sum((model(i, t, m).argmax(-1) == y).sum().item() for i, t, m, y in batches(rows, 128))
    return hits / len(rows)


if a.load:
    state, pool_state = torch.load(a.load)[:2]
else:
    encoder, pooler, mlm_head = pretrained_encoder()
    state = encoder.state_dict()
    pool_state = pooler.state_dict() if pooler is not None and trains_pooler else None
    if a.save:
        save_state(a.save, encoder, pooler, mlm_head)
if a.fresh_pooler:
    pool_state = None
print(f'pre-training done after {time.time() - t0:.0f} s', flush=True)
recipe = (f'embeddings={a.embeddings} frozen={a.freeze_word_embeddings} mlm_steps={a.mlm_steps} lr={a.lr} mlm_weight={a.mlm_weight} '
          f'simcse_weight={a.simcse_weight} sop_weight={a.sop_weight} layers={layer_count(state)} continue_from={a.continue_from} '
          f'mlm_corpus={a.mlm_corpus} load={a.load} fresh_pooler={a.fresh_pooler} scale={a.embeddings_scale} '
          f'ft_frozen={a.fine_tune_frozen_embeddings} embedding_lr_scale={a.embedding_lr_scale}')
for task in filter(None, a.tasks.split(',')):
    data = json.load(open(os.path.join(a.data, f'{task}.json')))
    size, epochs = data['batchSize'], data['epochs']
    by_lr = {}
    for lr in map(float, a.fine_tune_lrs.split(',')):
        results = []
        for seed in map(int, a.seeds.split(',')):
            torch.manual_seed(seed)
            model = Classifier(state, pool_state)
            words = model.enc.words.weight
            rest = [q for q in model.parameters() if q is not words]
            opt = adamw([([words], a.embedding_lr_scale), (rest, 1.0)], lr)
            g = torch.Generator().manual_seed(seed)
            total = epochs * math.ceil(len(data['train']) / size)
            step = 0
            for _ in range(epochs):
                for ids, types, mask, y in batches(data['train'], size, g):
                    step += 1
                    set_lr(opt, linear_schedule(step, total, int(0.1 * total), lr))
                    model.train()
                    loss = F.cross_entropy(model(ids, types, mask), y)
                    opt.zero_grad()
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                    opt.step()
            results.append((accuracy(model, data['validation']), accuracy(model, data['test'])))
        by_lr[lr] = results
        print(f'{task} {recipe} fine-tune lr {lr}: '
              f'validation {np.mean([r[0] for r in results]):.3f}, test {np.mean([r[1] for r in results]):.3f} '
              f'(per seed {[round(r[1], 3) for r in results]})', flush=True)
    best = max(by_lr, key=lambda lr: np.mean([r[0] for r in by_lr[lr]]))
    print(f'{task} {recipe} SELECTED lr {best} by validation: validation {np.mean([r[0] for r in by_lr[best]]):.3f}, '
          f'test {np.mean([r[1] for r in by_lr[best]]):.3f}', flush=True)

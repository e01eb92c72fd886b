"""The tiny BERT of bert_tiny.py behind BOMF Studio's trainer protocol (docs/trainer-protocol.md).

    trainer.py trial    PARAMS_FILE OUT_DIR              stage 1: train the proxy, report validation
    trainer.py train    PARAMS_FILE OUT_DIR              stage 2: full fine-tune, checkpoints on the plan
    trainer.py evaluate PARAMS_FILE OUT_DIR MODEL_DIR SPLIT   score a (fused) model folder

Inputs come from params.json; outputs are metrics.jsonl (one JSON line per step or
validation), metrics.json (final) and, in stage 2, checkpoint folders holding
model.safetensors with Hugging Face names, config.json and vocab.txt. Runs on the
GPU when there is one. Every step reseeds from (seed, step), so a fine-tune resumed
from a checkpoint takes exactly the steps an uninterrupted one would have.
"""
import errno
import json
import math
import os
import sys
import traceback

import torch

from bert_tiny import BertForSequenceClassification, WordTokenizer, load_config, save_config, tiny_config
from safetensors_io import load_file, save_file

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
VOCAB_SIZE = 3000


def read_split(file):
    with open(file, encoding="utf8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Output:
    def __init__(self, folder):
        self.folder = folder

    def line(self, **fields):
        # Appended and flushed per line: the engine tails this file while we run.
        with open(os.path.join(self.folder, "metrics.jsonl"), "a") as f:
            f.write(json.dumps(fields) + "\n")

    def final(self, values):
        tmp = os.path.join(self.folder, "metrics.json.tmp")
        with open(tmp, "w") as f:
            json.dump(values, f)
        os.replace(tmp, os.path.join(self.folder, "metrics.json"))


def scores(pred, gold, num_labels, names):
    """accuracy, f1 (binary, class 1), macro-f1 and mcc from the confusion matrix."""
    cm = torch.zeros(num_labels, num_labels, dtype=torch.float64)
    cm.index_put_((gold, pred), torch.ones(len(gold), dtype=torch.float64), accumulate=True)
    tp, out = cm.diag(), {}
    precision = tp / cm.sum(0).clamp(min=1)
    recall = tp / cm.sum(1).clamp(min=1)
    f1 = torch.where(precision + recall > 0, 2 * precision * recall / (precision + recall), torch.zeros_like(tp))
    n, correct = cm.sum(), tp.sum()
    t, p = cm.sum(1), cm.sum(0)
    denom = math.sqrt(float((n * n - (p * p).sum()) * (n * n - (t * t).sum())))
    all_scores = {
        "accuracy": float(correct / n),
        "f1": float(f1[1]) if num_labels == 2 else float(f1.mean()),
        "macro-f1": float(f1.mean()),
        "mcc": float((correct * n - (t * p).sum()) / denom) if denom > 0 else 0.0,
    }
    for name in names:
        if name not in all_scores:
            sys.exit(f"this example computes {', '.join(all_scores)}; data.metrics asks for '{name}'")
        out[name] = all_scores[name]
    return out


@torch.no_grad()
def evaluate(model, tok, examples, params, batch=64):
    model.eval()
    loss_sum, preds = 0.0, []
    for i in range(0, len(examples), batch):
        chunk = examples[i : i + batch]
        ids, mask = tok.encode([e["text"] for e in chunk], params["data"]["maxLength"])
        logits = model(ids.to(DEVICE), mask.to(DEVICE)).double()
        gold = torch.tensor([e["label"] for e in chunk], device=DEVICE)
        loss_sum += float(torch.nn.functional.cross_entropy(logits, gold, reduction="sum"))
        preds.append(logits.argmax(-1).cpu())
    gold = torch.tensor([e["label"] for e in examples])
    result = {"loss": loss_sum / len(examples)}
    result.update(scores(torch.cat(preds), gold, model.config["num_labels"], params["data"]["metrics"]))
    model.train()
    return result


def save_checkpoint(model, tok, optimizer, folder):
    os.makedirs(folder, exist_ok=True)
    save_file(model.state_dict(), os.path.join(folder, "model.safetensors"), {"format": "pt"})
    save_config(model.config, folder)
    tok.save(folder)
    # Like Hugging Face Trainer's checkpoint-N/optimizer.pt: what a resume needs beyond the weights.
    torch.save(optimizer.state_dict(), os.path.join(folder, "optimizer.pt"))


def load_model(folder):
    model = BertForSequenceClassification(load_config(folder)).to(DEVICE)
    model.load_state_dict({k: v.to(DEVICE) for k, v in load_file(os.path.join(folder, "model.safetensors")).items()})
    return model, WordTokenizer.load(folder)


def learning_rate(hp, step, total):
    warmup = round(hp["warmupRatio"] * total)
    if step <= warmup:
        return hp["learningRate"] * step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    shape = {"constant": 1.0, "linear": 1.0 - progress, "cosine": 0.5 * (1 + math.cos(math.pi * progress))}
    return hp["learningRate"] * shape[hp["schedule"]]


def checkpoint_steps(total, count, start):
    """The engine's plan (docs/trainer-protocol.md): K steps evenly spaced after start·T, the last at T."""
    first = math.floor(start * total + 0.5)
    return [math.floor(first + (k + 1) * (total - first) / count + 0.5) for k in range(count)]


def fit(role, params, out):
    hp, data, seed = params["hyperparameters"], params["data"], params["seed"]
    train, validation = read_split(data["train"]), read_split(data["validation"])
    torch.manual_seed(seed)
    tok = WordTokenizer.build([e["text"] for e in train], VOCAB_SIZE)
    model = BertForSequenceClassification(tiny_config(len(tok.vocab), len(data["labels"]), hp["dropout"])).to(DEVICE)
    if role == "trial" and params["proxy"].get("freeze"):
        model.freeze_bottom(params["proxy"]["freeze"])
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=hp["learningRate"], weight_decay=hp["weightDecay"])
    batch = int(hp["batchSize"])
    per_epoch = math.ceil(len(train) / batch)
    total = math.ceil(per_epoch * hp["epochs"])
    plan = set(checkpoint_steps(total, **params["checkpoints"])) if role == "train" else set()
    eval_every = params.get("evalEvery") or per_epoch
    first = 1
    if params.get("resumeFromCheckpoint"):
        model, tok = load_model(params["resumeFromCheckpoint"])
        trainable = list(model.parameters())
        optimizer = torch.optim.AdamW(trainable, lr=hp["learningRate"], weight_decay=hp["weightDecay"])
        optimizer.load_state_dict(torch.load(os.path.join(params["resumeFromCheckpoint"], "optimizer.pt")))
        first = params["resumeFromStep"] + 1
    model.train()
    best = None
    for step in range(first, total + 1):
        epoch, pos = divmod(step - 1, per_epoch)
        order = torch.randperm(len(train), generator=torch.Generator().manual_seed(seed * 1009 + epoch))
        chunk = [train[i] for i in order[pos * batch : (pos + 1) * batch].tolist()]
        torch.manual_seed(seed * 100_003 + step)  # dropout masks depend on (seed, step) only
        ids, mask = tok.encode([e["text"] for e in chunk], data["maxLength"])
        gold = torch.tensor([e["label"] for e in chunk], device=DEVICE)
        loss = torch.nn.functional.cross_entropy(model(ids.to(DEVICE), mask.to(DEVICE)), gold)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, hp["maxGradNorm"])
        lr = learning_rate(hp, step, total)
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.step()
        line = dict(step=step, epoch=step / per_epoch, totalSteps=total, learningRate=lr)
        out.line(loss=float(loss), **line)
        if step in plan:
            folder = f"checkpoints/step-{step}"
            save_checkpoint(model, tok, optimizer, os.path.join(out.folder, folder))
            out.line(metrics=evaluate(model, tok, validation, params), checkpoint=folder, **line)
        elif step % eval_every == 0 or step == total:
            result = evaluate(model, tok, validation, params)
            out.line(metrics=result, **line)
            objective = data["metrics"][0]
            if best is None or result[objective] > best[objective]:
                best = dict(result, step=step)
    if role == "trial":
        out.final(best)


def main():
    role, params_file, out_dir = sys.argv[1:4]
    with open(params_file) as f:
        params = json.load(f)
    out = Output(out_dir)
    if role == "evaluate":
        model_dir, split = sys.argv[4:6]
        model, tok = load_model(model_dir)
        out.final(evaluate(model, tok, read_split(params["data"][split]), params))
    else:
        fit(role, params, out)


# Failures that are not the parameters' fault exit 75 (EX_TEMPFAIL): the engine then stops the
# run, resumably, instead of recording a failed trial (docs/trainer-protocol.md, "Failures").
TEMPORARY_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO)
TEMPORARY_CUDA = "busy or unavailable"  # another process holds the GPU


def run():
    try:
        main()
    except (OSError, RuntimeError) as e:
        temporary = e.errno in TEMPORARY_ERRNOS if isinstance(e, OSError) else TEMPORARY_CUDA in str(e)
        if not temporary:
            raise
        traceback.print_exc()
        sys.exit(75)


if __name__ == "__main__":
    run()

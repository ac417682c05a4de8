#!/usr/bin/python3
"""PyTorch CPU reference of NeuMF (He et al., WWW 2017) for tests/benchmarks/bench_ncf.

Trains the same architecture as lens::NcfRecommender (GMF embeddings of `factors`, MLP
embeddings of layers[0]/2 each, ReLU tower, one output logit), with the implicit objective
(binary cross-entropy with logits, `negatives` uniform negatives per positive drawn every epoch),
mini-batches of `batch`, Adam (dense; with --sparse the embeddings use torch.optim.SparseAdam).
Reads the training positives as little-endian uint32 (user, item) pairs and prints
"samples_per_second <value>" (sampling and shuffling included, best of --epochs epochs, as
bench_ncf measures its own).

Usage: ncf_torch_reference.py --pairs FILE --users N --items M [--batch 256] [--threads 1]
       [--max-samples S] [--epochs E] [--sparse] [--factors 8] [--layers 64,32,16,8]
       [--negatives 4]
"""
import argparse
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as error:  # the benchmark prints this and skips the comparison
    print(f"torch_unavailable {error}")
    sys.exit(3)


class NeuMF(nn.Module):
    def __init__(self, users, items, factors, layers, sparse):
        super().__init__()
        half = layers[0] // 2
        self.user_gmf = nn.Embedding(users, factors, sparse=sparse)
        self.item_gmf = nn.Embedding(items, factors, sparse=sparse)
        self.user_mlp = nn.Embedding(users, half, sparse=sparse)
        self.item_mlp = nn.Embedding(items, half, sparse=sparse)
        for e in (self.user_gmf, self.item_gmf, self.user_mlp, self.item_mlp):
            nn.init.normal_(e.weight, std=0.01)
        tower = []
        for a, b in zip(layers[:-1], layers[1:]):
            tower += [nn.Linear(a, b), nn.ReLU()]
        self.tower = nn.Sequential(*tower)
        self.output = nn.Linear(factors + layers[-1], 1)

    def forward(self, u, i):
        gmf = self.user_gmf(u) * self.item_gmf(i)
        mlp = self.tower(torch.cat([self.user_mlp(u), self.item_mlp(i)], dim=1))
        return self.output(torch.cat([gmf, mlp], dim=1)).squeeze(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pairs", required=True)
    p.add_argument("--users", type=int, required=True)
    p.add_argument("--items", type=int, required=True)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--max-samples", type=int, default=0)
    p.add_argument("--sparse", action="store_true")
    p.add_argument("--factors", type=int, default=8)
    p.add_argument("--layers", default="64,32,16,8")
    p.add_argument("--negatives", type=int, default=4)
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--epochs", type=int, default=1)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    rng = np.random.default_rng(42)
    pairs = np.fromfile(a.pairs, dtype="<u4").reshape(-1, 2).astype(np.int64)
    layers = [int(x) for x in a.layers.split(",")]
    model = NeuMF(a.users, a.items, a.factors, layers, a.sparse)
    if a.sparse:
        emb = [model.user_gmf.weight, model.item_gmf.weight, model.user_mlp.weight, model.item_mlp.weight]
        dense = list(model.tower.parameters()) + list(model.output.parameters())
        optimisers = [torch.optim.SparseAdam(emb, lr=a.lr), torch.optim.Adam(dense, lr=a.lr)]
    else:
        optimisers = [torch.optim.Adam(model.parameters(), lr=a.lr)]
    loss_fn = nn.BCEWithLogitsLoss()

    # Warm-up (first calls allocate), not timed.
    u0 = torch.zeros(a.batch, dtype=torch.long)
    for o in optimisers:
        o.zero_grad()
    loss_fn(model(u0, u0), torch.zeros(a.batch)).backward()

    # Whole epochs (sampling and shuffling included), the best epoch's rate reported as
    # bench_ncf reports its own; with --max-samples one timed run of that many samples.
    done_total = 0
    best = 0.0
    limit = a.max_samples if a.max_samples > 0 else None
    for _ in range(1 if limit else max(1, a.epochs)):
        start = time.perf_counter()
        done = 0
        while True:
            # One epoch of samples: positives and uniform negatives, shuffled.
            n = len(pairs)
            users = np.repeat(pairs[:, 0], 1 + a.negatives)
            items = np.repeat(pairs[:, 1], 1 + a.negatives)
            labels = np.zeros(n * (1 + a.negatives), dtype=np.float32)
            labels[:: 1 + a.negatives] = 1.0
            neg = np.ones(len(items), dtype=bool)
            neg[:: 1 + a.negatives] = False
            items[neg] = rng.integers(0, a.items, size=int(neg.sum()))
            order = rng.permutation(len(users))
            users_t = torch.from_numpy(users[order])
            items_t = torch.from_numpy(items[order])
            labels_t = torch.from_numpy(labels[order])
            for b in range(0, len(users), a.batch):
                u = users_t[b : b + a.batch]
                i = items_t[b : b + a.batch]
                y = labels_t[b : b + a.batch]
                for o in optimisers:
                    o.zero_grad()
                loss = loss_fn(model(u, i), y)
                loss.backward()
                for o in optimisers:
                    o.step()
                done += len(u)
                if limit and done >= limit:
                    break
            if limit is None or done >= limit:
                break
        seconds = time.perf_counter() - start
        done_total += done
        best = max(best, done / seconds)
    print(f"samples {done_total}")
    print(f"samples_per_second {best:.1f}")


if __name__ == "__main__":
    main()

"""How much the auxiliary loss moves the prompts: ‖∇θ λ·L_aux‖ / ‖∇θ CE‖ over a few P2C training steps.

    .venv/bin/python benchmarks/aux_gradients.py [--steps 3] [--tiny_steps 32] [--n_ctx 2 4] [--threads 1]

Two settings, each trained for a few SGD steps from the method's initial prompts, with the norms taken by
`p2c.engine.loss_grad_norms` before every step (as `TrainCfg(log_grad_norms=True)` logs them):
- the paper's: a randomly initialised ViT-B/16 (`ViT-B-16-quickgelu`, no download), depth 9, attributes color
  and shape, batch 4 of random images, the first 50 ImageNet class names;
- p2c-tiny with its shipped weights on synth_shapes' base classes, configured as the synthetic-world runs are
  (`p2c.protocols.resolve_run`: the preset's shots, depth, batch size; seed 1; data from `$P2C_DATA`).
Prints the median of each norm and of their ratio over the steps, at λ = 0.1 and σ_aux = 0.01 (P2C's defaults).
"""
import argparse, os, statistics, time
from pathlib import Path
import torch, open_clip
from p2c.data import make_loader
from p2c.engine import TrainCfg, loss_grad_norms, make_optimizer, seed_everything, trainable_parameters
from p2c.fewshot import load_split
from p2c.model import build_model
from p2c.presets import clip_transforms
from p2c.protocols import build_run_model, resolve_run
import p2c.synth  # registers the synthetic world

def measure(model, batches, epochs=5):
    "Median ‖∇CE‖, ‖∇λ·L_aux‖ and their ratio over SGD steps on `batches` (the engine's optimizer, epoch 1 of `epochs`)."
    params, weight = trainable_parameters(model), model.cfg.aux.weight
    opt, _ = make_optimizer(params, TrainCfg(epochs=epochs))
    model.train(); rows = []
    for images, labels in batches:
        out = model(images, labels, epoch=1, epochs=epochs)
        g = loss_grad_norms(out, params, weight)
        opt.zero_grad(set_to_none=True); out.loss.backward(); opt.step()
        rows.append((g['grad_ce'], g['grad_aux'], g['grad_aux'] / g['grad_ce']))
    return [statistics.median(c) for c in zip(*rows)]

def vit_b16(n_ctx, steps, classes=50):
    "The paper's setting on a random ViT-B/16: `steps` batches of 4 random images."
    seed_everything(1)
    model = build_model(open_clip.IMAGENET_CLASSNAMES[:classes], 'p2c', ('color', 'shape'), 'ViT-B-16-quickgelu', None,
                        prompt=dict(n_ctx=n_ctx, depth=9))
    batches = [(torch.randn(4, 3, 224, 224), torch.randint(classes, (4,))) for _ in range(steps)]
    return measure(model, batches)

def tiny(n_ctx, steps, root):
    "p2c-tiny with its shipped weights on synth_shapes' base classes, as `p2c.protocols` runs it: `steps` batches."
    run = resolve_run('b2n', 'synth_shapes', 'p2c', prompt=dict(n_ctx=n_ctx), backbone='p2c-tiny', pretrained='synth', seed=1, root=str(root))
    split = load_split('synth_shapes', root, shots=run.cfg.shots, seed=1, subsample='base')
    model = build_run_model(run, split.classnames)
    loader = make_loader(split.train, clip_transforms(model.clip, True, run.train.crop_scale), run.train.batch_size, 0, True)
    return measure(model, [b for b, _ in zip(loader, range(steps))], run.train.epochs)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--steps', type=int, default=3, help='ViT-B/16 steps per N_CTX (a few seconds each on a CPU)')
    ap.add_argument('--tiny_steps', type=int, default=32, help='p2c-tiny steps per N_CTX')
    ap.add_argument('--n_ctx', type=int, nargs='+', default=[2, 4]); ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--root', default=os.environ.get('P2C_DATA', 'data'))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"{'model':34s} {'N_CTX':>5s} {'steps':>5s} {'‖∇CE‖':>10s} {'‖∇λL_aux‖':>10s} {'ratio':>9s} {'s/step':>7s}")
    for name, run, steps in (('ViT-B/16 (random weights)', lambda n: vit_b16(n, args.steps), args.steps),
                             ('p2c-tiny (synth) on synth_shapes', lambda n: tiny(n, args.tiny_steps, Path(args.root)), args.tiny_steps)):
        for n in args.n_ctx:
            t = time.perf_counter(); ce, aux, ratio = run(n)
            print(f"{name:34s} {n:5d} {steps:5d} {ce:10.3g} {aux:10.3g} {ratio:9.2e} {(time.perf_counter() - t) / steps:7.2f}")

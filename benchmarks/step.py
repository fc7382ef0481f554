"""Time and peak memory of a P2C training step and of evaluation, for 50, 300 and 1000 ImageNet class names.

    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/step.py [--classes 50 300 1000] [--batch 4] [--threads 2]
    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/step.py --model p2c-tiny --classes 20 --eval_batch 8   # a quick look

The model is open_clip's `ViT-B-16-quickgelu` with random weights (nothing is downloaded) and, by default, P2C's
prompts as the paper trains them on ImageNet: two attributes, N_CTX 2, depth 9, the MLP mapper, DPD noise and the
auxiliary loss; fp32, no autocast. `--method maple_atp` times the baseline without P2C's additions. Class names
are the first C of open_clip's `IMAGENET_CLASSNAMES`.

Training: one step, split into the text and the image tower, forward and backward (the loss head is in the step
total only), median over `--steps` timed steps after one warm-up step. Two text paths of `PromptedCLIP`: `full`
runs all 77 rows of every class through open_clip's blocks, the reference implementation's cost (MaPLe/ATPrompt
`clip/model.py`); `shared` is p2c's default. Both give the same logits (tested in nbs/06_model.ipynb).
Evaluation, per 1000 test images: the reference loop re-encodes the text with every batch of 32 images
(Dassl/MaPLe's test loop, under no_grad); p2c encodes the text once and the images in `--eval_batch` batches
under inference mode. On a GPU larger batches are faster per image; on a CPU they are slower (ViT-B/16 at one
thread: 0.38 s per image in batches of 4, 0.42 in 16, 0.48 in 64: the activations outgrow the caches), so the
default batch is the training batch on a CPU and 256 on a GPU.

Times are wall seconds; on a busy machine `--clock cpu --threads 1` gives CPU seconds, which other processes
disturb less. Each case runs in a fresh Python process, so its peak memory is its own: the process's maximum
resident set (`ru_maxrss`, which includes the model's weights and the Python runtime) on the CPU, torch's
`max_memory_allocated` on CUDA. The `full` path needs about 10 GB at 300 classes and several times that at 1000,
so it trains only up to `--full_max` classes.
"""
import argparse, json, os, resource, statistics, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # the repository's p2c, whatever the working directory
import torch, open_clip
import torch.nn.functional as F

def _sync(device):
    if device.startswith('cuda'): torch.cuda.synchronize()

CLOCKS = {'wall': time.perf_counter, 'cpu': time.process_time}   # cpu: seconds of CPU of all the process's threads

class _Clock:
    "Named laps of a clock in `CLOCKS`."
    def __init__(self, device, clock='wall'): self.device, self.now, self.laps = device, CLOCKS[clock], {}
    def lap(self, name, f):
        _sync(self.device); t = self.now(); out = f(); _sync(self.device)
        self.laps[name] = self.laps.get(name, 0.) + self.now() - t
        return out

def _model(a, C, path, clip=None):
    "The method on the first C ImageNet class names, with `path` as its text path."
    from p2c.clip import load_clip
    from p2c.model import PromptedCLIP, method_config
    torch.manual_seed(0)
    clip = clip or load_clip(a['model'], None, a['device'])
    names = list(open_clip.IMAGENET_CLASSNAMES)[:C]
    depth = min(9, len(clip.transformer.resblocks), len(clip.visual.transformer.resblocks))
    cfg = method_config(a['method'], ['color', 'shape'], prompt=dict(n_ctx=2, depth=depth))
    return PromptedCLIP(clip, open_clip.get_tokenizer(a['model']), names, cfg, text_path=path,
                        text_chunk=a['text_chunk'], max_text_memory=a['max_text_memory']).to(a['device'])

def _images(model, n, device):
    size = model.clip.visual.image_size
    return torch.randn(n, 3, *((size, size) if isinstance(size, int) else size), device=device)

def _train_step(model, images, labels, clock):
    "One training step, as `PromptedCLIP.forward` + backward, each tower timed on its own."
    from p2c.model import aux_loss
    pl, sigma = model.prompt_learner, model.sigma(0, 5)
    txt = clock.lap('text fwd', lambda: model.text_features(sigma))
    shallow, deep = clock.lap('image fwd', lambda: pl.visual_prompts())
    img = clock.lap('image fwd', lambda: model.image_features(images, (shallow, deep)))
    def head():
        t, i = txt.detach().requires_grad_(), img.detach().requires_grad_()        # the towers' backward is timed below
        aux = model.cfg.aux.weight * aux_loss(pl.mapper, pl.ctx, shallow, model.cfg.aux.sigma) if model.cfg.aux else 0.
        loss = F.cross_entropy(model.logits(i, t), labels) + aux
        loss.backward()
        return t.grad, i.grad
    g_txt, g_img = clock.lap('head', head)
    clock.lap('text bwd', lambda: txt.backward(g_txt))
    clock.lap('image bwd', lambda: img.backward(g_img))
    pl.zero_grad()

def _train_case(a, C, path):
    model = _model(a, C, path).train()
    images, labels = _images(model, a['batch'], a['device']), torch.arange(a['batch'], device=a['device']) % C
    _train_step(model, images, labels, _Clock(a['device']))                           # warm-up
    laps = []
    for _ in range(a['steps']):
        clock = _Clock(a['device'], a['clock']); _train_step(model, images, labels, clock); laps.append(clock.laps)
    out = {k: statistics.median(l[k] for l in laps) for k in laps[0]}
    from p2c.text import _chunks
    rows = model.layout.eot - model.layout.prefix_len + 1                             # (C,) each class's own rows
    chunks = len(_chunks(rows, model.text_chunk, model.text.rows_within(model.max_text_memory))[1]) if path == 'shared' else '–'
    return {**out, 'step': sum(out.values()), 'text rows': int(rows.sum()) if path == 'shared' else C * model.frozen_rows.shape[1], 'chunks': chunks}

def _eval_case(a, C):
    "Seconds per 1000 test images: the reference loop (text with every batch of 32) and p2c's (text once)."
    full = _model(a, C, 'full').eval(); shared = _model(a, C, 'shared', full.clip).eval()
    clock, ref_batch = _Clock(a['device'], a['clock']), 32
    with torch.inference_mode(): shared.text_features(); shared.image_features(_images(shared, 1, a['device']))   # warm-up
    with torch.no_grad():
        clock.lap('ref text', lambda: full.text_features())
        clock.lap('ref image', lambda: full.image_features(_images(full, ref_batch, a['device'])))
    with torch.inference_mode():
        clock.lap('text once', lambda: shared.text_features())
        clock.lap('image', lambda: shared.image_features(_images(shared, a['eval_batch'], a['device'])))
    t = clock.laps
    ref = (t['ref text'] + t['ref image']) * 1000 / ref_batch
    ours = t['text once'] + t['image'] * 1000 / a['eval_batch']
    return {'reference s/1000': ref, 'p2c s/1000': ours, 'text once': t['text once'], 'ref text per batch': t['ref text'],
            'reference s/32': ref * 32 / 1000, 'p2c s/32': ours * 32 / 1000, 'ratio': ref / ours}

def _peak(device)->float:
    "Peak memory of this process in GB."
    if device.startswith('cuda'): return torch.cuda.max_memory_allocated() / 1e9
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9            # Linux reports KiB

def _child(spec:dict):
    "Run one case in this process and print its result as one JSON line."
    a = spec['args']; torch.set_num_threads(a['threads'])
    out = _train_case(a, spec['C'], spec['path']) if spec['kind'] == 'train' else _eval_case(a, spec['C'])
    print(json.dumps({**out, 'peak GB': _peak(a['device'])}))

def _run(spec:dict, threads:int)->dict:
    "One case in a fresh process."
    env = {**os.environ, 'OMP_NUM_THREADS': str(threads), 'MKL_NUM_THREADS': str(threads)}
    done = subprocess.run([sys.executable, __file__, '--case', json.dumps(spec)], capture_output=True, text=True, env=env)
    if done.returncode: raise SystemExit(f"case {spec['kind']} C={spec['C']} {spec.get('path', '')} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])

def _table(rows:list, cols:list)->str:
    "A markdown table."
    fmt = lambda v: (f'{v:.0f}' if v >= 100 else f'{v:.3g}') if isinstance(v, float) else str(v)
    lines = ['| ' + ' | '.join(cols) + ' |', '|' + '---|' * len(cols)]
    return '\n'.join(lines + ['| ' + ' | '.join(fmt(r.get(c, '–')) for c in cols) + ' |' for r in rows])

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument('--classes', type=int, nargs='+', default=[50, 300, 1000], help='class counts, the first C ImageNet names')
    ap.add_argument('--batch', type=int, default=4, help='training batch (the paper trains ImageNet at 4)')
    ap.add_argument('--threads', type=int, default=2, help='torch threads per case')
    ap.add_argument('--steps', type=int, default=3, help='timed training steps per case, after one warm-up step')
    ap.add_argument('--model', default='ViT-B-16-quickgelu', help='open_clip model name, random weights')
    ap.add_argument('--method', default='p2c', help="a method of p2c.model.METHODS, e.g. maple_atp for P2C's additions' overhead")
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--clock', default='wall', choices=list(CLOCKS), help='wall seconds, or CPU seconds of all threads (steadier on a busy machine; use with --threads 1)')
    ap.add_argument('--full_max', type=int, default=300, help='largest class count the reference-style `full` path trains at')
    ap.add_argument('--eval_batch', type=int, default=None, help="p2c's evaluation batch (default: --batch on a CPU, 256 on a GPU)")
    ap.add_argument('--no_eval', action='store_true', help='skip the evaluation cases')
    ap.add_argument('--text_chunk', type=int, default=None, help='PromptedCLIP text_chunk (None: from the budget)')
    ap.add_argument('--max_text_memory', type=float, default=None, help='PromptedCLIP max_text_memory in GiB (default: p2c\'s)')
    ap.add_argument('--case', default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case: return _child(json.loads(args.case))
    from p2c.model import MAX_TEXT_MEMORY
    a = {k: v for k, v in vars(args).items() if k not in ('case', 'classes', 'full_max', 'no_eval')}
    if a['max_text_memory'] is None: a['max_text_memory'] = MAX_TEXT_MEMORY
    if a['eval_batch'] is None: a['eval_batch'] = args.eval_batch = args.batch if args.device == 'cpu' else 256
    memory = 'torch.cuda.max_memory_allocated' if args.device.startswith('cuda') else 'ru_maxrss of a fresh process per case (weights and Python runtime included)'
    print(f"p2c step benchmark: {args.model}, random weights, {args.method} (2 attributes where it uses them, N_CTX 2, depth 9), fp32, {args.device}, "
          f"{args.threads} thread(s), batch {args.batch}, median of {args.steps} step(s), {args.clock} seconds; torch {torch.__version__}, open_clip {open_clip.__version__}; "
          f"max_text_memory {a['max_text_memory']} GiB, text_chunk {a['text_chunk']}; peak memory: {memory}", flush=True)
    train, evals = [], []
    for C in args.classes:
        res = {p: _run(dict(kind='train', C=C, path=p, args=a), args.threads) for p in ('full', 'shared') if p == 'shared' or C <= args.full_max}
        for p, r in res.items():
            ratio = {'step ×': res['full']['step'] / r['step'], 'text ×': (res['full']['text fwd'] + res['full']['text bwd']) / (r['text fwd'] + r['text bwd'])} if 'full' in res else {}
            train.append({'classes': C, 'text path': p, **r, **ratio})
            print(f"  trained {C} classes, {p}: step {r['step']:.2f} s, peak {r['peak GB']:.2f} GB", flush=True)
        if not args.no_eval:
            evals.append({'classes': C, **_run(dict(kind='eval', C=C, args=a), args.threads)})
            print(f"  evaluated {C} classes: {evals[-1]['ratio']:.1f}× the reference loop", flush=True)
    print('\nTraining step, seconds (ratios: the `full` path over this one, same run)\n')
    print(_table(train, ['classes', 'text path', 'text fwd', 'text bwd', 'image fwd', 'image bwd', 'step', 'peak GB', 'step ×', 'text ×', 'text rows', 'chunks']))
    if evals:
        print(f'\nEvaluation, seconds (reference loop: text with every batch of 32, no_grad; p2c: text once, batches of {args.eval_batch}, inference mode)\n')
        print(_table(evals, ['classes', 'reference s/32', 'p2c s/32', 'text once', 'ref text per batch', 'reference s/1000', 'p2c s/1000', 'ratio', 'peak GB']))

if __name__ == '__main__': main()

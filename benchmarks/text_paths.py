"""Time one training step's text tower (forward + backward) for each text path of `PromptedCLIP`.

    .venv/bin/python benchmarks/text_paths.py [--model p2c-tiny] [--classes 32] [--repeats 20]

Prints milliseconds per step and the speed-up over the reference-style `full` path. All paths give the same
features (tested in nbs/06_model.ipynb); only their cost differs.
"""
import argparse, time
import torch, open_clip
from p2c.clip import load_clip
from p2c.model import PromptedCLIP, TEXT_PATHS, method_config

def time_path(model, repeats):
    model.train()
    model.text_features(sigma=0.015).sum().backward()                 # warm-up
    start = time.perf_counter()
    for _ in range(repeats): model.text_features(sigma=0.015).sum().backward()
    return (time.perf_counter() - start) / repeats * 1000

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--model', default='p2c-tiny'); ap.add_argument('--classes', type=int, default=32)
    ap.add_argument('--repeats', type=int, default=20); ap.add_argument('--threads', type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    clip, tok = load_clip(args.model, None), open_clip.get_tokenizer(args.model)
    names = [f'{c} {s}' for c in ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'pink', 'brown')
             for s in ('circle', 'square', 'triangle', 'star', 'heart', 'cross', 'hexagon', 'diamond')][:args.classes]
    cfg = method_config('p2c', ['color', 'shape'], prompt=dict(depth=min(9, len(clip.transformer.resblocks))))
    ms = {p: time_path(PromptedCLIP(clip, tok, names, cfg, text_path=p), args.repeats) for p in TEXT_PATHS}
    print(f'{args.model}, {len(names)} classes, {args.threads} thread(s): text tower forward+backward per step')
    for p, t in ms.items(): print(f'  {p:9s} {t:8.1f} ms   x{ms["full"] / t:5.2f}')

"""Time the prompted image tower's forward + backward against open_clip's own forward on the same tokens.

    .venv/bin/python benchmarks/vision_step.py [--tiny] [--batch 4] [--repeats 3] [--threads 1]

Random frozen weights (ViT-B-16-quickgelu, or p2c-tiny with `--tiny`), fp32, CPU. The three rows give the same
features without deep prompts (checked first). Each step sums the image features and backpropagates to
the prompts, as a training step does. Rows:
  p2c           `VisionEncoder` with n_ctx shallow prompts and deep prompts before blocks 1..depth-1 (MaPLe's);
  open_clip     open_clip's `ln_pre` -> `transformer` -> class token -> `ln_post` -> `proj` on the patch tokens
                with the shallow prompts appended (its blocks are batch first);
  seq-first     the same blocks built sequence first (`Transformer(batch_first=False)`, same weights), the layout
                of the CLIP in CoOp/MaPLe/ATPrompt.
Prints the median seconds per step of each and p2c's ratio to the other two. The repeats are interleaved, so
a load change on a shared machine hits every row alike.
"""
import argparse, statistics, time
import torch
from open_clip.transformer import Transformer
from p2c.clip import load_clip
from p2c.vision import VisionEncoder

def seq_first_copy(transformer:Transformer)->Transformer:
    "A sequence-first copy of open_clip's `transformer`, with its weights, frozen."
    blocks = transformer.resblocks
    copy = Transformer(transformer.width, len(blocks), blocks[0].attn.num_heads, blocks[0].mlp.c_fc.out_features / transformer.width,
                       act_layer=type(blocks[0].mlp.gelu), batch_first=False)
    copy.load_state_dict(transformer.state_dict())
    return copy.eval().requires_grad_(False)

def features(clip, batch:int, n_ctx:int, depth:int)->dict:
    "The image features of each row, as a function of nothing (fixed images and prompts)."
    enc, v = VisionEncoder(clip.visual), clip.visual
    images = torch.randn(batch, 3, *v.image_size)
    shallow = torch.randn(n_ctx, enc.width, requires_grad=True)
    deep = [torch.randn(n_ctx, enc.width, requires_grad=True) for _ in range(depth - 1)]
    tokens = lambda: v.ln_pre(torch.cat([enc.embed(images), shallow.expand(batch, -1, -1)], dim=1))   # (B, T+n, D)
    head = lambda cls: v.ln_post(cls) @ v.proj                                                       # (B, E)
    seq = seq_first_copy(v.transformer)
    return {'p2c': lambda deep=deep: enc(images, shallow, deep),
            'open_clip': lambda: head(v.transformer(tokens())[:, 0]),
            'seq-first': lambda: head(seq(tokens())[:, 0])}   # it runs its blocks on (T+n, B, D)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tiny', action='store_true', help='p2c-tiny instead of ViT-B-16-quickgelu')
    ap.add_argument('--batch', type=int, default=4); ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--n_ctx', type=int, default=2)
    ap.add_argument('--depth', type=int, default=9, help="prompt depth J (MaPLe's 9), at most the number of blocks")
    args = ap.parse_args()
    torch.set_num_threads(args.threads); torch.manual_seed(0)
    name = 'p2c-tiny' if args.tiny else 'ViT-B-16-quickgelu'
    clip = load_clip(name, None)
    feats = features(clip, args.batch, args.n_ctx, min(args.depth, len(clip.visual.transformer.resblocks)))
    with torch.no_grad(): same = [f() for f in (lambda: feats['p2c'](deep=[]), feats['open_clip'], feats['seq-first'])]
    if not all(torch.allclose(f, same[0], atol=1e-5) for f in same): raise SystemExit('the rows compute different features')
    fns = {k: lambda f=f: f().sum().backward() for k, f in feats.items()}
    times = {k: [] for k in fns}
    for f in fns.values(): f()                                          # warm-up
    for _ in range(args.repeats):
        for k, f in fns.items():
            start = time.perf_counter(); f(); times[k].append(time.perf_counter() - start)
    med = {k: statistics.median(t) for k, t in times.items()}
    print(f'{name}, batch {args.batch}, {args.n_ctx} prompts, {args.threads} thread(s): image tower forward+backward per step')
    for k, t in med.items(): print(f'  {k:10s} {t:8.3f} s   p2c / {k}: {med["p2c"] / t:5.2f}')

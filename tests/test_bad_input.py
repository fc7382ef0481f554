"""Bad and damaged input through the console scripts, one table row per case: the command line, the exit status it must
end with (2 bad input, 1 damaged, missing or unwritable file, 0 accepted), a phrase its last stderr line must contain,
and what must not be left behind (a traceback, `*.tmp` files, a new `config.yaml` when refused, any change to a run
folder a refused command was pointed at).

Each case runs in its own process with a fresh output folder. The processes are forked from one server process that
imported p2c once (a console script spends about 4 s importing torch), and call the scripts' functions exactly as the
installed console scripts do (`sys.exit(train_cli())` with `sys.argv` set); two cases also run the installed scripts
themselves. The data are a tiny rendering of the synthetic world, the backbone the random `p2c-toy`, and one finished
run is trained once for the cases that damage or reuse a run folder.

The `needs` column names the part of p2c whose checks a case exercises: `cli` (the command line itself: flags,
`key=value` overrides, the `--config` file), `config`
(refusals at configuration: non-finite or contradictory values, validation before writing, run and evaluation folder
identity, damaged `config.yaml` or `metrics.json`) and `engine` (the training loop and the files it writes: NaN loss,
log repair, damaged checkpoints, write failures, stale temporary files)."""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVER = r"""
import json, os, resource, sys, traceback
import p2c.cli, p2c.reproduce
SCRIPTS = {'p2c_train': p2c.cli.train_cli, 'p2c_eval': p2c.cli.eval_cli, 'p2c_protocol': p2c.cli.protocol_cli,
           'p2c_demo': p2c.cli.demo, 'p2c_reproduce': p2c.reproduce.reproduce_cli}
def child(req):
    os.chdir(req['cwd'])
    for fd, name in ((1, 'stdout'), (2, 'stderr')): os.dup2(os.open(req[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
    if req['fsize']: resource.setrlimit(resource.RLIMIT_FSIZE, (req['fsize'], req['fsize']))
    sys.argv = req['argv']
    try: code = SCRIPTS[sys.argv[0]]()                   # what the console script runs: sys.exit(train_cli())
    except SystemExit as e: code = e.code if isinstance(e.code, int) or e.code is None else print(e.code, file=sys.stderr) or 1
    except BaseException: traceback.print_exc(); code = 1
    sys.stdout.flush(); sys.stderr.flush(); os._exit(code or 0)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0: child(json.loads(line))
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""

class Scripts:
    "The console scripts, each call in a fresh process forked from one that imported p2c."
    def __init__(self, tmp:Path):
        env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(ROOT), os.environ.get('PYTHONPATH', '')]), 'OMP_NUM_THREADS': '1'}
        self.tmp, self.n = tmp, 0
        self.proc = subprocess.Popen([sys.executable, '-c', SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    def __call__(self, argv:list, cwd:Path, fsize:int=0)->tuple: # exit status, stdout, stderr
        self.n += 1
        out, err = self.tmp/f'{self.n}.out', self.tmp/f'{self.n}.err'
        self.proc.stdin.write(json.dumps(dict(argv=argv, cwd=str(cwd), stdout=str(out), stderr=str(err), fsize=fsize)) + '\n')
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline()), out.read_text(), err.read_text()
    def close(self): self.proc.stdin.close(); self.proc.wait()

TOY = ['--backbone', 'p2c-toy', '--pretrained', 'none', '--depth', '2', '--shots', '1', '--quiet']
TRAIN = ['p2c_train', '--root', '{root}', '--output', '{out}', *TOY, '--epochs', '1']   # a fresh run (a later --epochs wins)
FINISHED = ['p2c_train', '--root', '{root}', *TOY, '--epochs', '2']        # the finished run, trained once into {out}/finished

@pytest.fixture(scope='module')
def world(tmp_path_factory):
    "A tiny synthetic world, the script server, and one finished 2-epoch p2c run."
    from p2c.synth import render_dataset
    tmp = tmp_path_factory.mktemp('bad_input')
    root = tmp/'data'
    for name in ('synth_shapes', 'synth_textures', 'synth_shapes_sketch'): render_dataset(name, root, counts=(2, 1, 2))
    scripts = Scripts(tmp)
    code, out, err = scripts([a.format(root=root) for a in FINISHED] + ['--output', str(tmp/'finished')], tmp)
    assert code == 0, err
    (run,) = [p.parent for p in (tmp/'finished').rglob('checkpoint.pt')]
    yield dict(tmp=tmp, root=root, run=run, scripts=scripts)
    scripts.close()

# How a case prepares its output folder: a copy of the finished run at {run}, damaged or not. Other setups, handled in
# `_prepare`: None (empty), 'started' and 'fsize' (empty, and the run may write before it stops), 'not a checkpoint'
# ({out}/weights.pt holds text), 'evaluated on synth_textures' ({out}/evaluated holds that evaluation).
def _truncate(p:Path, keep:float=0.5): p.write_bytes(p.read_bytes()[:int(p.stat().st_size * keep)])
def _interrupted(run:Path):
    "The finished run as if killed after its first epoch: checkpoint at epoch 1 of 2, no metrics."
    import torch
    ck = torch.load(run/'checkpoint.pt', weights_only=False)
    torch.save({**ck, 'epoch': 1}, run/'checkpoint.pt'); (run/'metrics.json').unlink()
def _reshaped(run:Path):
    "The interrupted run with a checkpoint whose first prompt tensor has another shape than config.yaml says."
    import torch
    _interrupted(run); ck = torch.load(run/'checkpoint.pt', weights_only=False)
    sd = ck['prompt_learner']
    k = next(k for k, v in sd.items() if v.ndim == 2); sd[k] = torch.zeros(sd[k].shape[0] + 1, sd[k].shape[1])
    torch.save(ck, run/'checkpoint.pt')
def _torn_log(run:Path):
    _interrupted(run); log = run/'log.csv'; log.write_text(log.read_text().rstrip('\n') + '\n3,0.12')

SETUPS = {
    'finished': lambda run: None,
    'interrupted': _interrupted,
    'checkpoint truncated': lambda run: (_interrupted(run), _truncate(run/'checkpoint.pt')),
    'checkpoint empty': lambda run: (_interrupted(run), (run/'checkpoint.pt').write_bytes(b'')),
    'checkpoint random': lambda run: (_interrupted(run), (run/'checkpoint.pt').write_bytes(os.urandom(4096))),
    'checkpoint reshaped': _reshaped,
    'config truncated': lambda run: _truncate(run/'config.yaml'),
    'config empty': lambda run: (run/'config.yaml').write_text(''),
    'metrics damaged': lambda run: _truncate(run/'metrics.json'),
    'log torn': _torn_log,
    'stale tmp': lambda run: (_interrupted(run), (run/'.checkpoint.pt.123.tmp').write_bytes(b''), os.utime(run/'.checkpoint.pt.123.tmp', (0, 0))),
}

# Extra checks of accepted cases: (output folder, stdout, stderr) -> problem or ''.
def _shots_used(out, stdout, stderr):
    used = json.loads(next(out.rglob('metrics.json')).read_text()).get('shots_used')
    return '' if used == 2 else f'metrics.json records shots_used={used}; 2 images per class exist'
def _no_random_warning(out, stdout, stderr): return 'open_clip warned of random weights' if 'initialized randomly' in stderr else ''
def _log_to_checkpoint(out, stdout, stderr):
    rows = next(out.rglob('log.csv')).read_text().splitlines()
    return '' if all(r.count(',') == rows[0].count(',') for r in rows) and not rows[-1].startswith('3,0.12') else f'log.csv keeps a torn row: {rows[-2:]}'
def _unchanged(out, stdout, stderr):
    (m,) = list(out.rglob('metrics.json'))
    return '' if json.loads(stdout) == {k: v for k, v in json.loads(m.read_text()).items() if k in json.loads(stdout)} else 'the reused run printed other metrics'
def _no_metrics(out, stdout, stderr): return f'left {list(out.rglob("metrics.json"))}' if list(out.rglob('metrics.json')) else ''
def _text_memory(chunk, gib):
    "A check that the run's config.yaml records `text_chunk` and `max_text_memory` as given."
    def check(out, stdout, stderr):
        t = yaml.safe_load(next(out.rglob('config.yaml')).read_text())['train']
        return '' if (t['text_chunk'], t['max_text_memory']) == (chunk, gib) else f"config.yaml records text_chunk={t['text_chunk']}, max_text_memory={t['max_text_memory']}"
    return check

T, R = TRAIN, ['--root', '{root}']
# (id, command line, exit status, phrase in the last stderr line (or a warning when 0), setup of {out}, needs, extra check)
CASES = [
    # the command line itself
    ('unknown option', [*T, '--colour', 'red'], 2, 'unrecognized arguments: --colour', None, 'cli', None),
    ('int option not an int', [*T, '--seed', 'x'], 2, "--seed: invalid int value: 'x'", None, 'cli', None),
    ('crop_scale abc', [*T, '--crop_scale', 'abc'], 2, "--crop_scale='abc'", None, 'cli', None),
    ('method typo', [*T, '--method', 'p2cc'], 2, "--method: invalid choice: 'p2cc'", None, 'cli', None),
    ('precision typo', [*T, '--precision', 'fp64'], 2, "--precision: invalid choice: 'fp64'", None, 'cli', None),
    ('schedule typo', [*T, '--schedule', 'cosin'], 2, "--schedule: invalid choice: 'cosin'", None, 'cli', None),
    ('gmm_means empty item', [*T, '--method', 'dpd_gmm', '--gmm_means', '-0.8,,0.8'], 2, 'gmm_means', None, 'cli', None),
    ('gmm_means negative accepted', [*T, '--method', 'dpd_gmm', '--gmm_means', '-0.8,0.8', '--seed', '-1'], 2, 'seed', None, 'cli', None),
    ('attributes empty', [*T, '--attributes', ''], 2, 'attributes', None, 'cli', None),
    ('device cuda:99', [*T, '--device', 'cuda:99'], 2, "device='cuda:99'", None, 'cli', None),
    ('device not a device', [*T, '--device', 'gpu'], 2, "device='gpu'", None, 'cli', None),
    ('protocol seeds 1,x', ['p2c_protocol', *R, '--output', '{out}', '--seeds', '1,x'], 2, "'x'", None, 'cli', None),
    ('protocol seeds empty', ['p2c_protocol', *R, '--output', '{out}', '--seeds', ''], 2, '--seeds', None, 'cli', None),
    ('protocol unknown method', ['p2c_protocol', *R, '--output', '{out}', '--methods', 'clipper', '--seeds', '1'], 2, 'clipper', None, 'cli', None),
    ('eval missing run folder', ['p2c_eval', '{out}/nowhere'], 1, 'nowhere', None, 'cli', None),
    ('reproduce unknown notebook', ['p2c_reproduce', '--notebooks', 'table9', '--output', '{out}'], 2, 'table9', None, 'cli', None),
    ('reproduce device cuda:99', ['p2c_reproduce', '--device', 'cuda:99', '--output', '{out}'], 2, 'cuda:99', None, 'cli', None),
    ('demo seed not an int', ['p2c_demo', '--seed', 'one', '--output', '{out}'], 2, "'one'", None, 'cli', None),
    ('shipped weights: no random-init warning', ['p2c_train', *R, '--output', '{out}', '--backbone', 'p2c-tiny', '--pretrained', 'synth',
     '--method', 'zsclip', '--shots', '1', '--quiet'], 0, '', None, 'cli', _no_random_warning),
    ('pin_memory not a switch', [*T, '--pin_memory', 'yes'], 2, "--pin_memory: invalid choice: 'yes'", None, 'cli', None),
    ('text_chunk not an int', [*T, '--text_chunk', 'x'], 2, "--text_chunk: invalid int value: 'x'", None, 'cli', None),
    ('max_text_memory not a number', [*T, '--max_text_memory', 'lots'], 2, "configuration key train.max_text_memory: Value 'lots'", None, 'cli', None),
    ('max_text_memory none, text_chunk 4', [*T, '--max_text_memory', 'none', '--text_chunk', '4'], 0, '', None, 'cli', _text_memory(4, None)),
    ('override not key=value', [*T, 'epochs'], 2, "'epochs' is not key=value", None, 'cli', None),
    ('override does not parse', [*T, 'noise.gmm_means=[-0.8,,0.8]'], 2, "override 'noise.gmm_means=[-0.8,,0.8]' does not parse", None, 'cli', None),
    ('config file missing', [*T, '--config', '{out}/nope.yaml'], 1, 'nope.yaml', None, 'cli', None),
    ('config file not YAML', [*T, '--config', '{out}/bad.yaml'], 2, 'bad.yaml is not YAML', 'bad yaml', 'cli', None),
    ('config file a list', [*T, '--config', '{out}/list.yaml'], 2, 'list.yaml holds no sections', 'yaml list', 'cli', None),
    ('train protocol dg', [*T, '--protocol', 'dg'], 2, "--protocol: invalid choice: 'dg'", None, 'cli', None),
    ('protocol config of a run', ['p2c_protocol', '--config', '{run}/config.yaml', '--seeds', '1', '--quiet'], 2,
     'run.protocol, run.dataset, run.method, run.seed given in the configuration or overrides', 'finished', 'cli', None),
    ('protocol override sets the method', ['p2c_protocol', *R, '--output', '{out}', *TOY, 'run.method=p2c'], 2, 'run.method given', None, 'cli', None),
    ('protocol override unknown key', ['p2c_protocol', *R, '--output', '{out}', *TOY, 'train.colour=red'], 2, 'unknown configuration key train.colour', None, 'cli', None),
    # refusals at configuration
    ('override unknown key', [*T, 'train.colour=red'], 2, 'unknown configuration key train.colour', None, 'config', None),
    ('override unknown section', [*T, 'trian.epochs=2'], 2, 'unknown configuration key trian', None, 'config', None),
    ('override bad type', [*T, 'train.epochs=ten'], 2, 'configuration key train.epochs', None, 'config', None),
    ('override bad value', [*T, 'noise.sigma_max=-1'], 2, 'model.noise.sigma_max=-1.0', None, 'config', None),
    ('text_chunk 0', [*T, '--text_chunk', '0'], 2, 'train.text_chunk=0: text_chunk must be a positive int', None, 'config', None),
    ('max_text_memory -1', [*T, '--max_text_memory', '-1'], 2, 'train.max_text_memory=-1.0: max_text_memory must be a finite number > 0', None, 'config', None),
    ('max_text_memory nan', [*T, '--max_text_memory', 'nan'], 2, 'train.max_text_memory=nan', None, 'config', None),
    ('override text_chunk not an int', [*T, 'train.text_chunk=x'], 2, "configuration key train.text_chunk: Value 'x'", None, 'config', None),
    ('override max_text_memory 0.5', [*T, 'train.max_text_memory=0.5'], 0, '', None, 'config', _text_memory(None, 0.5)),
    ('config of an evaluation', [*T, '--config', '{out}/evaluated/config.yaml'], 2, 'unknown configuration key evaluation', 'evaluated on synth_textures', 'config', None),
    ('config of the finished run: reused', ['p2c_train', '--config', '{run}/config.yaml', '--quiet'], 0, '', 'finished', 'config', _unchanged),
    ('sigma_max nan', [*T, '--sigma_max', 'nan'], 2, 'sigma_max', None, 'config', None),
    ('sigma_max inf', [*T, '--sigma_max', 'inf'], 2, 'sigma_max', None, 'config', None),
    ('aux_weight nan', [*T, '--aux_weight', 'nan'], 2, 'model.aux.weight=nan', None, 'config', None),
    ('lr inf', [*T, '--lr', 'inf'], 2, 'lr', None, 'config', None),
    ('hidden_scale nan', [*T, '--hidden_scale', 'nan'], 2, 'hidden_scale', None, 'config', None),
    ('sigmoid_k 0', [*T, '--sigmoid_k', '0'], 2, 'sigmoid_k', None, 'config', None),
    ('gmm_means nan', [*T, '--method', 'dpd_gmm', '--gmm_means', 'nan,0.8'], 2, 'gmm_means', None, 'config', None),
    ('coop n_ctx 0', [*T, '--method', 'coop', '--n_ctx', '0'], 2, 'n_ctx', None, 'config', None),
    ('n_ctx 40', [*T, '--n_ctx', '40'], 2, 'n_ctx=40', None, 'config', None),
    ('epochs 0', [*T, '--epochs', '0'], 2, 'epochs', None, 'config', None),
    ('backbone unknown', [*T, '--backbone', 'ViT-B-99'], 2, "backbone 'ViT-B-99': Model config for 'ViT-B-99' not found", None, 'config', None),
    ('backbone p2c cannot prompt', [*T, '--backbone', 'RN50'], 2, "p2c cannot prompt open_clip model 'RN50'", None, 'config', None),
    ('backbone local-dir missing', [*T, '--backbone', 'local-dir:{out}/nowhere'], 1, 'nowhere', None, 'config', None),
    ('backbone local-dir with a pretrained tag', [*T, '--backbone', 'local-dir:{out}/tiny', '--pretrained', 'synth'], 2,
     "pretrained='synth' with backbone 'local-dir:", 'local-dir', 'config', None),
    ('attribute word outside the vocabulary', ['p2c_train', *R, '--output', '{out}', '--backbone', 'p2c-tiny', '--pretrained', 'synth',
     '--shots', '1', '--epochs', '1', '--quiet', '--attributes', 'colour'], 2, 'colour', None, 'config', None),
    ('attribute word xyzzy', ['p2c_train', *R, '--output', '{out}', '--backbone', 'p2c-tiny', '--pretrained', 'synth',
     '--shots', '1', '--epochs', '1', '--quiet', '--attributes', 'xyzzy'], 2, 'xyzzy', None, 'config', None),
    ('device cuda without a GPU', [*T, '--device', 'cuda'], 2, "device='cuda'", None, 'cli', None),   # skipped on a GPU machine
    ('precision bf16 on the CPU', [*T, '--precision', 'bf16'], 0, '', None, 'config', None),
    ('pretrained not a checkpoint', [*T, '--pretrained', '{out}/weights.pt'], 2, 'weights.pt', 'not a checkpoint', 'config', None),
    ('shots beyond the images', [*T, '--shots', '100000'], 0, 'shots', None, 'config', _shots_used),
    ('epochs 1 is warm-up only', [*T, '--epochs', '1'], 0, 'epochs=1', None, 'config', None),
    ('eval output is the training folder', ['p2c_eval', '{run}', '--output', '{run}'], 2, 'training', 'finished', 'config', None),
    ('eval output is the training folder, force', ['p2c_eval', '{run}', '--output', '{run}', '--force'], 2, 'training', 'finished', 'config', None),
    ('eval output of another dataset', ['p2c_eval', '{run}', '--dataset', 'synth_shapes_sketch', '--output', '{out}/evaluated', '--quiet'],
     2, 'evaluation.dataset', 'evaluated on synth_textures', 'config', None),
    ('eval config truncated', ['p2c_eval', '{run}', '--quiet'], 1, 'config.yaml', 'config truncated', 'config', None),
    ('eval config empty', ['p2c_eval', '{run}', '--quiet'], 1, 'config.yaml', 'config empty', 'config', None),
    ('train config truncated', [*FINISHED, '--output', '{out}'], 1, 'damaged', 'config truncated', 'config', None),
    ('same run, trailing slash', [*FINISHED, '--output', '{out}/'], 0, '', 'finished', 'config', None),
    ('same run, relative output', [*FINISHED, '--output', '.'], 0, '', 'finished', 'config', None),
    ('protocol with a damaged metrics.json', ['p2c_protocol', *R, '--output', '{out}', *TOY, '--epochs', '2', '--methods', 'p2c', '--seeds', '1'],
     1, 'metrics.json', 'metrics damaged', 'config', None),
    # the training loop and its files
    ('lr 1e6: NaN loss stops the run', [*T, '--lr', '1e6', '--epochs', '2'], 2, 'not finite', 'started', 'engine', _no_metrics),
    ('checkpoint truncated', [*FINISHED, '--output', '{out}'], 1, 'checkpoint.pt', 'checkpoint truncated', 'engine', None),
    ('checkpoint empty', [*FINISHED, '--output', '{out}'], 1, 'checkpoint.pt', 'checkpoint empty', 'engine', None),
    ('checkpoint random bytes', [*FINISHED, '--output', '{out}'], 1, '--no_resume', 'checkpoint random', 'engine', None),
    ('checkpoint shapes differ from config', [*FINISHED, '--output', '{out}'], 1, 'shape', 'checkpoint reshaped', 'engine', None),
    ('log.csv torn in a resumable folder', [*FINISHED, '--output', '{out}'], 0, '', 'log torn', 'engine', _log_to_checkpoint),
    ('stale temporary checkpoint', [*FINISHED, '--output', '{out}'], 0, '', 'stale tmp', 'engine', None),
    ('file-size limit while writing', [*T], 1, 'checkpoint.pt', 'fsize', 'engine', _no_metrics),
]
def _prepare(world:dict, out:Path, setup:str|None)->Path|None:
    "Fill the fresh output folder `out` for `setup`; the path of its run folder, if it has one."
    if setup == 'not a checkpoint': (out/'weights.pt').write_text('not a checkpoint')
    if setup == 'bad yaml': (out/'bad.yaml').write_text('{run: [\n')
    if setup == 'yaml list': (out/'list.yaml').write_text('- run\n- train\n')
    if setup == 'local-dir':   # an open_clip local-dir: folder (its config; no weights are read before the refusal)
        import open_clip
        (out/'tiny').mkdir(); (out/'tiny'/'open_clip_config.json').write_text(json.dumps({'model_cfg': open_clip.get_model_config('p2c-tiny')}))
    if setup in (None, 'started', 'fsize', 'not a checkpoint', 'bad yaml', 'yaml list', 'local-dir'): return None
    if setup == 'evaluated on synth_textures':
        run = out/'finished'; shutil.copytree(world['run'], run)
        code, _, err = world['scripts'](['p2c_eval', str(run), '--dataset', 'synth_textures', '--output', str(out/'evaluated'), '--quiet'], out)
        assert code == 0, err
        return run
    run = out/world['run'].relative_to(world['tmp']/'finished')
    shutil.copytree(world['run'], run)
    SETUPS[setup](run)
    return run

def _content(p:Path):
    "The bytes of `p`; for a readable config.yaml its content without the fields that cannot change a number (the output folder, ...)."
    from p2c.protocols import OPERATIONAL
    try: c = yaml.safe_load(p.read_text()) if p.name == 'config.yaml' else None
    except yaml.YAMLError: c = None
    if not isinstance(c, dict): return p.read_bytes()
    for k in OPERATIONAL: c.get(k.split('.')[0], {}).pop(k.split('.')[1], None)
    return c

def _files(out:Path)->dict: return {p: _content(p) for p in sorted(out.rglob('*')) if p.is_file() and not p.name.startswith('.')}

@pytest.mark.parametrize('name,argv,code,phrase,setup,needs,check', CASES, ids=[c[0] for c in CASES])
def test_bad_input(world, tmp_path, name, argv, code, phrase, setup, needs, check):
    if name == 'device cuda without a GPU':
        import torch
        if torch.cuda.is_available(): pytest.skip('this machine has a GPU')
    out = tmp_path/'out'; out.mkdir()
    run = _prepare(world, out, setup)
    before = _files(out)
    args = [a.format(root=world['root'], out=out, run=run) for a in argv]
    got, stdout, stderr = world['scripts'](args, out, fsize=20_000 if setup == 'fsize' else 0)
    lines = stderr.strip().splitlines()
    assert 'Traceback' not in stderr, f'[{needs}] traceback:\n{stderr[-3000:]}'
    assert got == code, f'[{needs}] exit status {got}, expected {code}; stderr:\n{stderr[-2000:]}'
    assert not list(out.rglob('*.tmp')), f'[{needs}] left {list(out.rglob("*.tmp"))}'
    if code:
        assert lines and lines[-1].startswith(f'{args[0]}: error: ') and phrase in lines[-1], f'[{needs}] last stderr line: {lines[-1:]}'
        if setup not in ('started', 'fsize'):   # refused before training: nothing written
            assert _files(out) == before, f'[{needs}] a refused command changed {sorted(set(_files(out)) ^ set(before)) or "files"}'
    elif phrase: assert any(phrase in l and ': warning: ' in l for l in lines), f'[{needs}] no one-line warning naming {phrase!r}: {lines}'
    if check: assert not (problem := check(out, stdout, stderr)), f'[{needs}] {problem}'

@pytest.mark.parametrize('script,args,phrase', [('p2c_train', ['--seed', 'x'], "--seed: invalid int value: 'x'"),
                                                ('p2c_reproduce', ['--device', 'cuda:99'], 'cuda:99')])
def test_installed_script(tmp_path, script, args, phrase):
    "The installed console script itself ends a bad command line in one line and status 2."
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(ROOT), os.environ.get('PYTHONPATH', '')]), 'OMP_NUM_THREADS': '1'}
    done = subprocess.run([str(BIN/script), *args], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert (done.returncode, done.stderr.count('\n'), done.stderr.startswith(f'{script}: error: '), phrase in done.stderr) == (2, 1, True, True), done.stderr

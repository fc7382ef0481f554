"The run plan on a local Ray cluster of 2 CPUs: the same metrics as the local executor, a killed worker retried to the same metrics, a failing run reported while the others finish."
import os, shutil, signal, threading, time
from pathlib import Path
import pytest

os.environ.setdefault('RAY_USAGE_STATS_ENABLED', '0')   # no usage report, no prompt
import ray
from p2c.files import DATA_ROOT, read_json
from p2c.grid import LOG, FailedJobsError, GridCfg, execute, make_plan, protocol_jobs, ray_env
from p2c.protocols import resolve_run

QUICK = dict(shots=2, train={'epochs': 1})  # the quick settings of `p2c.experiments.Experiment`
TIMING = ('train_time_s',)                  # the only measurement that may differ between two trainings of one run
PATHS = ('run', 'source_checkpoint')        # the source's folder, and its checkpoint's digest (the file names its temporary)

@pytest.fixture(scope='module')
def cluster():
    "A Ray cluster of 2 CPUs on this machine, small and quiet, shut down after the module's tests."
    ray.init('local', num_cpus=2, object_store_memory=100*2**20, include_dashboard=False, log_to_driver=False,
             runtime_env={'env_vars': {**ray_env(), 'OMP_NUM_THREADS': '1'}})
    yield
    ray.shutdown()

def grid_jobs(output:Path)->list:
    "2 datasets x 2 methods x 2 seeds of base-to-novel, and one cross-dataset run with its target."
    b2n = [resolve_run('b2n', d, m, seed=s, output=str(output), **QUICK) for d in ('synth_shapes', 'synth_textures') for m in ('coop', 'p2c') for s in (1, 2)]
    xd = resolve_run('xd', 'synth_shapes', 'p2c', seed=1, output=str(output), **QUICK)
    return [j for r in b2n for j in protocol_jobs('b2n', r)] + protocol_jobs('xd', xd, ['synth_textures'])

def bad_jobs(output:Path, root:Path)->list:
    "A run on a copy of synth_shapes whose images are missing, and its cross-dataset evaluation."
    (root/'synth_shapes').mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA_ROOT/'synth_shapes'/'split_zhou_synth_shapes.json', root/'synth_shapes')
    shutil.copytree(DATA_ROOT/'synth_textures', root/'synth_textures', dirs_exist_ok=True)
    return protocol_jobs('xd', resolve_run('xd', 'synth_shapes', 'coop', seed=1, output=str(output), root=str(root), **QUICK), ['synth_textures'])

def metrics(output:Path)->dict:
    "Every metrics.json under `output` by folder, without timings and the paths they name."
    def plain(m): return {k: v for k, v in m.items() if k not in TIMING + PATHS}
    return {str(f.parent.relative_to(output)): plain(read_json(f)) for f in sorted(Path(output).rglob('metrics.json'))}

def run_grid(tmp:Path, executor:str)->dict:
    "Execute the grid plus the failing run; check the failure is reported and everything else finished; the grid's metrics."
    plan = make_plan(grid_jobs(tmp/executor) + bad_jobs(tmp/f'{executor}_bad', tmp/'bad_data'))
    with pytest.raises(FailedJobsError) as e: execute(plan, GridCfg(executor), quiet=True)
    bad = [j.folder for j in plan if 'bad' in str(j.folder)]
    assert str(bad[0]) in str(e.value) and 'images' in str(e.value).lower() or 'No such file' in str(e.value), str(e.value)
    assert f'{bad[1]}: its source run {bad[0]} failed' in str(e.value), str(e.value)
    assert (bad[0]/LOG).is_file() and 'Traceback' in (bad[0]/LOG).read_text()
    done = metrics(tmp/executor)
    assert len(done) == 10, sorted(done)
    return done

def test_ray_equals_local_and_failure_reported(cluster, tmp_path):
    local, on_ray = run_grid(tmp_path, 'local'), run_grid(tmp_path, 'ray')
    assert local.keys() == on_ray.keys()
    differ = {f: [k for k in local[f] if local[f][k] != on_ray[f].get(k)] for f in local}
    assert not any(differ.values()), differ
    again = make_plan(grid_jobs(tmp_path/'ray'))
    assert execute(again, GridCfg('ray'), quiet=True) == []    # finished runs are not scheduled again

def kill_when_checkpointed(folder:Path, killed:list):
    "Kill the process holding `folder`'s lock (its pid is in `.lock`) once the first epoch's checkpoint is written."
    while not (folder/'checkpoint.pt').is_file(): time.sleep(0.02)
    pid = int((folder/'.lock').read_text().split()[1])
    os.kill(pid, signal.SIGKILL)
    killed.append(pid)

def test_killed_worker_is_retried(cluster, tmp_path):
    run = lambda output: resolve_run('b2n', 'synth_shapes', 'p2c', seed=3, shots=2, train={'epochs': 4}, output=str(tmp_path/output))
    execute(make_plan(protocol_jobs('b2n', run('local'))), quiet=True)
    killed, folder = [], run('ray').dir
    killer = threading.Thread(target=kill_when_checkpointed, args=(folder, killed), daemon=True)
    killer.start()
    execute(make_plan(protocol_jobs('b2n', run('ray'))), GridCfg('ray', max_retries=2), quiet=True)
    killer.join(timeout=5)
    assert len(killed) == 1
    starts = [l for l in (folder/LOG).read_text().splitlines() if ' start: pid ' in l]
    assert len(starts) == 2 and f'pid {killed[0]} ' in starts[0] and f'pid {killed[0]} ' not in starts[1], starts
    assert metrics(tmp_path/'ray') == metrics(tmp_path/'local')

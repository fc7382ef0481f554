"""Wall time of one quick grid with the local executor and with Ray at 2 parallel runs, and their ratio.

    .venv/bin/python benchmarks/grid.py [--cpus 2] [--epochs 1] [--shots 2]

The grid is tests/test_grid.py's: 2 synthetic datasets x 2 methods x 2 seeds of base-to-novel and one cross-dataset
run with its target (10 jobs), each run with one torch thread, in fresh folders under a temporary directory. The Ray
line gives the time to start a cluster of `--cpus` CPUs (as a command that starts its own pays it) and the grid's time
on it; the speed-up is over both. On a shared machine the times move with the load; say the load when you quote them.
"""
import argparse, logging, os, tempfile, time
from pathlib import Path
import ray
from p2c.grid import GridCfg, execute, make_plan, protocol_jobs, ray_env
from p2c.protocols import resolve_run

def grid(output:Path, shots:int, epochs:int)->list:
    quick = dict(shots=shots, train={'epochs': epochs}, output=str(output))
    b2n = [resolve_run('b2n', d, m, seed=s, **quick) for d in ('synth_shapes', 'synth_textures') for m in ('coop', 'p2c') for s in (1, 2)]
    return make_plan([j for r in b2n for j in protocol_jobs('b2n', r)] + protocol_jobs('xd', resolve_run('xd', 'synth_shapes', 'p2c', **quick), ['synth_textures']))

def wall(plan:list, cfg:GridCfg)->float:
    start = time.perf_counter()
    execute(plan, cfg, quiet=True)
    return time.perf_counter() - start

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--cpus', type=int, default=2); ap.add_argument('--epochs', type=int, default=1); ap.add_argument('--shots', type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault('RAY_USAGE_STATS_ENABLED', '0')
    with tempfile.TemporaryDirectory() as tmp:
        plans = {ex: grid(Path(tmp)/ex, args.shots, args.epochs) for ex in ('local', 'ray')}
        load = os.getloadavg()[0]
        local = wall(plans['local'], GridCfg('local'))
        start = time.perf_counter()
        ray.init('local', num_cpus=args.cpus, object_store_memory=200*2**20, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING, runtime_env={'env_vars': {**ray_env(), 'OMP_NUM_THREADS': '1'}})   # as `execute` starts one
        started = time.perf_counter() - start
        on_ray = wall(plans['ray'], GridCfg('ray', cpus_per_run=1))
        ray.shutdown()
    print(f"{len(plans['local'])} jobs ({args.shots} shots, {args.epochs} epoch(s), 1 thread each), load average {load:.1f} on {os.cpu_count()} cores before")
    print(f"  local                      {local:7.1f} s")
    print(f"  ray, {args.cpus} at a time  {started:5.1f} s + {on_ray:5.1f} s   speed-up x{local / (started + on_ray):.2f} (x{local / on_ray:.2f} without the start)")

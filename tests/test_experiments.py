"Every experiment notebook, executed by papermill in quick mode: each expected table and figure exists, is non-empty, and the tables have the expected rows and columns."
from pathlib import Path
import pandas as pd
from p2c.clip import WEIGHTS_DIR
from p2c.report import METHOD_LABELS
from p2c.reproduce import EXPERIMENTS, reproduce

B2N = ['synth_shapes', 'synth_textures']
FIVE = [METHOD_LABELS[m] for m in ['zsclip', 'coop', 'maple', 'maple_atp', 'p2c']]
ABLATION = [METHOD_LABELS[m] for m in ['maple_atp', 'dpd_gm', 'dpd_gmm', 'dpd_gm_aux', 'p2c']]
DG = ['synth_shapes_sketch', 'synth_shapes_palette', 'synth_shapes_hard']
KNOBS = ['schedule', 'sigma_max', 'sigma_aux', 'lambda', 's_H']

# table -> (columns, the rows it must have as tuples of the key columns' values)
TABLES = {
    'table1_base_to_novel': (['dataset', 'method', 'base', 'novel', 'hm', 'seeds'], [(d, m) for d in B2N + ['average'] for m in FIVE]),
    'table2_domain_generalisation': (['method', 'synth_shapes', DG[0], 'average', 'seeds'], [(m,) for m in FIVE]),  # quick: the first target
    'table3_cross_dataset': (['method', 'synth_shapes', 'synth_textures', 'average', 'seeds'], [(m,) for m in FIVE]),
    'table4_ablation': (['method', 'base', 'novel', 'hm', 'seeds'], [(m,) for m in ABLATION]),
    'table5_sensitivity': (['knob', 'value', 'default', 'base', 'novel', 'hm', 'seeds'], [(k,) for k in KNOBS for _ in range(2)]),  # quick: default + one value
    'fig3_token_length': (['dataset', 'method', 'seed', 'base', 'novel', 'hm', 'base_f1', 'novel_f1', 'TL'], [(d, 'P2C') for d in B2N for _ in range(2)]),
    'fig4_5_convergence': (['dataset', 'method', 'first_epoch_loss', 'last_epoch_loss', 'last_epoch_loss_std', 'seeds'],
                           [(d, m) for d in B2N for m in ['MaPLe+ATPrompt', 'P2C']]),
    'fig6_overhead': (['dataset', 'baseline', 'baseline_s', 'method', 'method_s', 'increase_pct'], [(d, 'MaPLe+ATPrompt') for d in B2N]),
    'fig7_f1': (['dataset', 'method', 'base', 'base_f1', 'seeds'], [(d, m) for d in B2N for m in FIVE]),
    'fig8_robustness': (['dataset', 'method', 'sigma', 'base', 'novel', 'base_std', 'novel_std', 'seeds'],   # quick: sigma 0 and 8 sigma_max
                        [(d, m) for d in B2N for m in ['MaPLe+ATPrompt', 'P2C'] for _ in range(2)]),
    'fig8_robustness_curves': (['dataset', 'method', 'seed', 'sigma', 'noise_seed', 'base', 'novel'],
                               [(d, m) for d in B2N for m in ['MaPLe+ATPrompt', 'P2C'] for _ in range(2)]),
    'fig9_calibration': (['dataset', 'method', 'base_ece', 'novel_ece', 'base_nll', 'novel_nll', 'base', 'novel', 'seeds'], [(d, m) for d in B2N for m in FIVE]),
    'fig10_fewshot': (['dataset', 'method', '1', '2', 'seeds'], [(d, m) for d in B2N + ['average'] for m in FIVE]),   # quick: 1 and 2 shots
}
FIGURES = ['fig3_token_length', 'fig4_convergence', 'fig5_convergence', 'fig6_overhead', 'fig7_f1', 'fig8_robustness', 'fig9_calibration', 'fig10_fewshot']

def _table_problems(figures, name)->list:
    "What is wrong with table `name` in `figures` (empty when nothing)."
    columns, rows = TABLES[name]
    table = pd.read_csv(figures/f'{name}.csv')
    if list(table.columns) != columns: return [f'{name}.csv columns {list(table.columns)}, expected {columns}']
    problems = []
    keys = [tuple(r) for r in table[columns[:len(rows[0])]].itertuples(index=False)]
    if keys != rows: problems.append(f'{name}.csv rows {keys}, expected {rows}')
    if table.select_dtypes('number').isna().any().any(): problems.append(f'{name}.csv has empty numbers')
    caption = (figures/f'{name}.md').read_text().splitlines()[0]
    problems += [f'{name}.md caption lacks {w!r}: {caption}' for w in ('p2c-tiny', 'synthetic world', 'quick mode') if w not in caption]
    return problems

def test_experiment_notebooks(tmp_path):
    "One test (one pytest-xdist worker): later notebooks reuse the runs of earlier ones."
    # the shipped p2c-tiny weights are the notebooks' default; without them the smoke run uses a random init
    params = {} if (WEIGHTS_DIR/'p2c-tiny_synth.pt').is_file() else {'pretrained': None}
    figures = tmp_path/'figures'
    reproduce(quick=True, output=tmp_path/'runs', figures=figures, **params)
    expected = [f'{t}.{e}' for t in [*TABLES, 'fig9_reliability'] for e in ('csv', 'md')] + [f'{f}.{e}' for f in FIGURES for e in ('png', 'pdf')]
    expected += [f'executed/{n}.ipynb' for n in EXPERIMENTS]
    missing = [f for f in expected if not (figures/f).is_file() or (figures/f).stat().st_size == 0]
    assert not missing, f'missing or empty in {figures}: {missing}'
    assert not list(figures.glob('.*.tmp')), 'temporary files left behind'
    problems = [p for name in TABLES for p in _table_problems(figures, name)]
    assert not problems, '\n'.join(problems)

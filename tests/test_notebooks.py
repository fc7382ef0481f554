"Each library notebook's tests, as `nbdev_test` runs them (slow and `eval: false` cells skipped), one pytest case per notebook."
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'

def _tested(nb:Path)->bool:
    "False for checkpoints and for notebooks in a folder (or below one) holding a `.notest` file."
    folders = nb.relative_to(NBS).parents
    return '.ipynb_checkpoints' not in nb.parts and not any((NBS/d/'.notest').exists() for d in folders)

NOTEBOOKS = sorted(nb for nb in NBS.rglob('*.ipynb') if _tested(nb))

@pytest.mark.parametrize('notebook', NOTEBOOKS, ids=lambda nb: str(nb.relative_to(NBS)))
def test_notebook(notebook):
    cfg = get_config(path=ROOT)
    passed, _ = run_notebook(notebook, skip_flags=cfg.tst_flags.split(), basepath=cfg.config_path)
    assert passed, f'{notebook.name} failed: its traceback is printed above'

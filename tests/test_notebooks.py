"Each library notebook's tests, as `nbdev_test` runs them (slow and `eval: false` cells skipped), one pytest case per notebook, each in a fresh process so that no registry or global state leaks between notebooks."
import subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'

def _tested(nb:Path)->bool:
    "False for checkpoints and for notebooks in a folder (or below one) holding a `.notest` file."
    folders = nb.relative_to(NBS).parents
    return '.ipynb_checkpoints' not in nb.parts and not any((NBS/d/'.notest').exists() for d in folders)

NOTEBOOKS = sorted(nb for nb in NBS.rglob('*.ipynb') if _tested(nb))
RUN = """
import sys
from pathlib import Path
from nbdev.config import get_config
from nbdev.test import test_nb
cfg = get_config(path=sys.argv[2])
passed, _ = test_nb(Path(sys.argv[1]), skip_flags=cfg.tst_flags.split(), basepath=cfg.config_path)
sys.exit(0 if passed else 1)
"""

@pytest.mark.parametrize('notebook', NOTEBOOKS, ids=lambda nb: str(nb.relative_to(NBS)))
def test_notebook(notebook):
    done = subprocess.run([sys.executable, '-c', RUN, str(notebook), str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, f'{notebook.name} failed:\n{done.stderr[-6000:]}'

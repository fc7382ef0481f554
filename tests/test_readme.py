"README.md is `nbs/index.ipynb` rendered to Markdown: run `make readme` after editing the notebook."
from pathlib import Path
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parents[1]

def test_readme_matches_index():
    body, _ = MarkdownExporter().from_filename(str(ROOT/'nbs'/'index.ipynb'))
    assert (ROOT/'README.md').read_text() == body, 'README.md is stale: run `make readme`'

import nbformat

from casebook.course.paths import notebooks_dir
from casebook.course.timing import floor_notebook, imports_of


def test_imports_of_skips_magics_and_code():
    assert imports_of("%matplotlib inline") == []
    assert imports_of("x = 1\nif x:\n    import os") == []
    assert imports_of("import a, b\nfrom c import (d,\n  e)") == [
        "import a, b",
        "from c import (d,\n  e)",
    ]


def test_floor_twin_of_start_here(tmp_path):
    src = notebooks_dir() / "00_start_here.ipynb"
    twin = floor_notebook(src)
    nbformat.validate(twin)
    code = [c for c in twin.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata["tags"]
    assert "from casebook.data import get_dataset, load_telco_churn" in code[1].source
    assert "load_telco_churn()" not in code[1].source

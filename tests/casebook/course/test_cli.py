import pytest

from casebook.course.cli import main, parse_parameter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3),
        ("0.5", 0.5),
        ("true", True),
        ("False", False),
        ("text", "text"),
        ("[1, 2]", [1, 2]),
    ],
)
def test_parse_parameter(value, expected):
    assert parse_parameter("x", value) == ("x", expected)


def test_parse_parameter_bad_name():
    with pytest.raises(ValueError, match="parameter name must be a Python identifier"):
        parse_parameter("a-b", "1")


def test_data_list(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert "adult" in out and "CC BY 4.0" in out


def test_data_fetch_unknown(capsys):
    assert main(["data", "fetch", "nope"]) == 2
    assert "unknown dataset 'nope'" in capsys.readouterr().err


def test_data_fetch_offline_failure(isolated_data_env, capsys):
    assert main(["data", "fetch", "german_credit", "--offline"]) == 1
    assert "expected sha256" in capsys.readouterr().err


def test_list_notebooks(capsys):
    assert main(["list"]) == 0
    assert "00_start_here" in capsys.readouterr().out

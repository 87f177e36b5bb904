"""Fixtures for the tracking tests: a hand-crafted malicious skops file."""

from __future__ import annotations

import json
import zipfile

import pytest
import skops
from skops.io._protocol import PROTOCOL


def _json_str(value):
    return {"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
            "content": json.dumps(value), "is_json": True}  # fmt: skip


def craft_malicious_skops(path, module, function, code):
    """A hand-built skops zip whose schema calls ``module.function(code, {})`` when loaded.

    skops' ``ConstructorFromReduceNode`` builds an object by calling the named
    type with the stored arguments; naming a function that evaluates a string
    there turns loading into code execution if the type is trusted.
    """
    args = [_json_str(code)]
    if function == "runstring":  # numpy.testing's runstring(astr, dict) runs exec(astr, dict)
        args.append({"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
                     "content": {}, "key_types": {"__class__": "list", "__module__": "builtins",
                                                  "__loader__": "ListNode", "content": []}})  # fmt: skip
    schema = {
        "__class__": function,
        "__module__": module,
        "__loader__": "ConstructorFromReduceNode",
        "content": {
            "__class__": "tuple",
            "__module__": "builtins",
            "__loader__": "TupleNode",
            "content": args,
        },  # fmt: skip
        "protocol": PROTOCOL,
        "_skops_version": skops.__version__,
    }
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("schema.json", json.dumps(schema))
    return path


@pytest.fixture
def malicious_skops():
    """``craft(path, module, function, code)`` writes a file that calls ``module.function(code)``."""
    return craft_malicious_skops

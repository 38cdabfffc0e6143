"""The encoding of a source file, as Python reads it (PEP 263), in one function."""

from __future__ import annotations

import codecs

import pytest

from fitness.adapters.files import declared_encoding

BOM = codecs.BOM_UTF8


@pytest.mark.parametrize(
    ("source", "encoding"),
    [
        (b"x = 1\n", "utf-8"),
        (BOM + b"x = 1\n", "utf-8-sig"),
        (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", "iso-8859-1"),
        (b"#!/usr/bin/env python\n# coding=cp1252\n", "cp1252"),
        (BOM + b"# coding: utf-8\n", "utf-8-sig"),
    ],
)
def test_the_declared_encoding_is_the_one_python_reads_the_file_with(
    source: bytes, encoding: str
) -> None:
    assert declared_encoding(source) == encoding


@pytest.mark.parametrize(
    "source",
    [
        b"# coding: no-such-encoding\nx = 1\n",
        BOM + b"# coding: latin-1\nx = 1\n",  # Python refuses a BOM with another cookie
    ],
)
def test_a_declaration_python_refuses_is_read_as_utf_8_without_its_bom(source: bytes) -> None:
    encoding = declared_encoding(source)
    assert encoding == "utf-8-sig"
    assert not source.decode(encoding).startswith("\ufeff")

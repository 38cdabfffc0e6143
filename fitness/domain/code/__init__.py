"""The code model: one static model of a project's classes, functions and imports,
parsed once per file (never imported), for the class and function rules,
``modular_monolith``'s interfaces and the class metrics alike.

- :mod:`~fitness.domain.code.model`: what the model holds (:class:`ModuleCode`,
  :class:`ClassInfo`, :class:`FunctionInfo`, :class:`Call`, :class:`ImportedName`)
  and how much of it (:class:`Detail`);
- :mod:`~fitness.domain.code.project`: :class:`CodeModel`, a project's modules read
  when first asked for and the questions across them, and :class:`CodeSource`, the
  port the adapter that reads the files implements;
- :mod:`~fitness.domain.code.parsing`: one module's code from its text
  (:func:`module_code`), with :mod:`~fitness.domain.code.imports` (import statements)
  and :mod:`~fitness.domain.code.calls` (what the code calls and uses);
- :mod:`~fitness.domain.code.classfacts`: the view the metrics read (LCOM4,
  abstractness, relational cohesion);
- :mod:`~fitness.domain.code.serialisation`: the model as plain data, for the cache;
- :mod:`~fitness.domain.code.vocabulary`: what Python's names mean (builtins,
  abstract and frozen classes).
"""

from fitness.domain.code.classfacts import (
    ClassFacts,
    MethodFacts,
    ModuleFacts,
    class_facts,
    module_facts,
)
from fitness.domain.code.model import (
    Call,
    ClassInfo,
    Detail,
    FunctionInfo,
    ImportedName,
    ModuleCode,
    name_matches,
)
from fitness.domain.code.parsing import module_code
from fitness.domain.code.project import CodeModel, CodeSource, ModuleTable
from fitness.domain.code.serialisation import MODEL_VERSION, from_data, to_data
from fitness.domain.code.vocabulary import builtin_bases, class_is_abstract

__all__ = [
    "MODEL_VERSION",
    "Call",
    "ClassFacts",
    "ClassInfo",
    "CodeModel",
    "CodeSource",
    "Detail",
    "FunctionInfo",
    "ImportedName",
    "MethodFacts",
    "ModuleCode",
    "ModuleFacts",
    "ModuleTable",
    "builtin_bases",
    "class_facts",
    "class_is_abstract",
    "from_data",
    "module_code",
    "module_facts",
    "name_matches",
    "to_data",
]

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
  (:func:`module_code`), with :mod:`~fitness.domain.code.statements` (how statements
  nest), :mod:`~fitness.domain.code.imports` (import statements) and
  :mod:`~fitness.domain.code.calls` (what the code calls and uses);
- :mod:`~fitness.domain.code.classfacts`: the view the metrics read (LCOM4,
  abstractness, relational cohesion);
- :mod:`~fitness.domain.code.serialisation`: the model as plain data, for the cache;
- :mod:`~fitness.domain.code.vocabulary`: what Python's names mean (builtins,
  abstract and frozen classes).
"""

from fitness._lazy import lazy_exports

_EXPORTS = {
    "ClassFacts": "fitness.domain.code.classfacts",
    "MethodFacts": "fitness.domain.code.classfacts",
    "ModuleFacts": "fitness.domain.code.classfacts",
    "class_facts": "fitness.domain.code.classfacts",
    "module_facts": "fitness.domain.code.classfacts",
    "Detail": "fitness.domain.code.detail",
    "Call": "fitness.domain.code.model",
    "ClassInfo": "fitness.domain.code.model",
    "FunctionInfo": "fitness.domain.code.model",
    "ImportedName": "fitness.domain.code.model",
    "ModuleCode": "fitness.domain.code.model",
    "name_matches": "fitness.domain.code.model",
    "module_code": "fitness.domain.code.parsing",
    "CodeModel": "fitness.domain.code.project",
    "CodeSource": "fitness.domain.code.project",
    "ModuleTable": "fitness.domain.code.project",
    "MODEL_VERSION": "fitness.domain.code.serialisation",
    "from_data": "fitness.domain.code.serialisation",
    "to_data": "fitness.domain.code.serialisation",
    "builtin_bases": "fitness.domain.code.vocabulary",
    "class_is_abstract": "fitness.domain.code.vocabulary",
}

# Imported on first use: rules/base.py reads Detail at start-up, and a run without
# a rule about classes should not pay for the parser and the model.
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = sorted(_EXPORTS)

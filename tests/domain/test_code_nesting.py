"""The code model holds every class and function statement, wherever it is nested
(inside functions and methods, under ``if``, ``try``, ``for``...), named as Python's
``__qualname__`` names it; the class metrics still count the classes and methods defined
directly in a module's and a class's body (JDepend's count)."""

from __future__ import annotations

import textwrap

from fitness.domain.code import ClassInfo, FunctionInfo, ModuleCode, module_code, module_facts


def code_of(text: str, module: str = "app.m") -> ModuleCode:
    return module_code(module, textwrap.dedent(text).lstrip())


def names(code: ModuleCode) -> tuple[list[str], list[str]]:
    return [c.name for c in code.classes], [f.name for f in code.functions]


def the_class(code: ModuleCode, name: str) -> ClassInfo:
    return next(c for c in code.classes if c.name == name)


def the_function(code: ModuleCode, name: str) -> FunctionInfo:
    return next(f for f in code.functions if f.name == name)


def test_definitions_inside_functions_are_named_by_their_qualname() -> None:
    code = code_of(
        """
        def make():
            class Helper:
                def run(self):
                    def step():
                        pass
            def inner():
                class Deeper:
                    pass
            return Helper
        """
    )
    assert names(code) == (
        ["make.<locals>.Helper", "make.<locals>.inner.<locals>.Deeper"],
        ["make", "make.<locals>.Helper.run.<locals>.step", "make.<locals>.inner"],
    )
    helper = the_class(code, "make.<locals>.Helper")
    assert [m.name for m in helper.methods] == ["make.<locals>.Helper.run"]
    assert (helper.local, helper.top_level) == (True, False)
    assert (the_function(code, "make").top_level, the_function(code, "make").local) == (
        True,
        False,
    )


def test_a_class_defined_in_a_method_is_found_with_its_base_resolved() -> None:
    # django/db/migrations/recorder.py:32, in small
    code = code_of(
        """
        from django.db import models

        class MigrationRecorder:
            @classproperty
            def Migration(cls):
                if cls._migration_class is None:
                    class Migration(models.Model):
                        app = models.CharField(max_length=255)

                        class Meta:
                            apps = Apps()
                    cls._migration_class = Migration
                return cls._migration_class
        """,
        "django.db.migrations.recorder",
    )
    migration = the_class(code, "MigrationRecorder.Migration.<locals>.Migration")
    assert (migration.line, migration.bases, migration.conditional) == (
        7,
        ("django.db.models.Model",),
        True,
    )
    assert the_class(code, "MigrationRecorder.Migration.<locals>.Migration.Meta").line == 10


def test_definitions_under_if_try_for_while_and_match_are_read_and_conditional() -> None:
    code = code_of(
        """
        import sys
        for name in ("a", "b"):
            def looped(): pass
        while False:
            class Looping: pass
        match sys.platform:
            case "linux":
                def on_linux(): pass

        class Connection:
            if sys.version_info >= (3, 12):
                def close(self): pass
            else:
                def close(self): self.shutdown()
            try:
                class Error(OSError): pass
            except NameError:
                pass
            def open(self): pass
        """
    )
    assert names(code)[1] == ["looped", "on_linux"]
    assert the_class(code, "Looping").conditional
    connection = the_class(code, "Connection")
    assert [(m.name, m.line, m.conditional) for m in connection.methods] == [
        ("Connection.close", 12, True),
        ("Connection.close", 14, True),
        ("Connection.open", 19, False),
    ]
    assert the_class(code, "Connection.Error").bases == ("OSError",)
    assert the_class(code, "Connection.Error").conditional


def test_the_calls_of_a_function_hold_those_of_what_is_defined_inside_it() -> None:
    code = code_of(
        """
        import os

        def outer():
            def inner():
                os.system("ls")
            print("outer")
        """
    )
    outer, inner = the_function(code, "outer"), the_function(code, "outer.<locals>.inner")
    assert [c.target for c in outer.calls] == ["os.system", "print"]
    assert [c.target for c in inner.calls] == ["os.system"]


def test_a_name_of_the_function_around_hides_the_modules_name_of_that_spelling() -> None:
    code = code_of(
        """
        from os import system

        def outer(base):
            system = make_runner()
            class Helper(base):
                def run(self):
                    system("id")
            def inner():
                return system("id")
        """
    )
    helper = the_class(code, "outer.<locals>.Helper")
    assert (helper.bases, helper.unresolved_bases) == ((), ("base",))
    assert [(c.target, c.resolved) for c in helper.methods[0].calls] == [("system", False)]
    inner = the_function(code, "outer.<locals>.inner")
    assert [(c.target, c.resolved) for c in inner.calls] == [("system", False)]
    assert "line 5: base class base of outer.<locals>.Helper is a name of the function it is " in (
        " ".join(code.blind_spots)
    )


def test_a_closure_in_a_method_calls_the_methods_of_its_class_through_self() -> None:
    code = code_of(
        """
        class Order:
            def save(self): pass
            def later(self):
                def run():
                    self.save()
                return run
        """
    )
    assert [c.target for c in the_function(code, "Order.later.<locals>.run").calls] == [
        "app.m.Order.save"
    ]


def test_the_metrics_count_what_is_directly_in_the_modules_and_the_classes_bodies() -> None:
    """JDepend counts top-level classes: what the model holds besides (local classes,
    methods under an if in a class body) changes no metric."""
    plain = """
        class Repository:
            def add(self, item):
                self.items.append(item)
            def count(self):
                return len(self.items)
        """
    nested = """
        import sys
        class Repository:
            def add(self, item):
                class Local:
                    def other(self):
                        return 1
                self.items.append(item)
            def count(self):
                return len(self.items)
            if sys.version_info < (3, 9):
                def legacy(self):
                    return self.cache
        def factory():
            class Made:
                def m(self): raise NotImplementedError
        """
    before = module_facts("app.m", textwrap.dedent(plain))
    after = module_facts("app.m", textwrap.dedent(nested))
    assert [c.name for c in after.classes] == ["Repository"]
    assert [(m.name, m.attributes, m.calls) for m in after.classes[0].methods] == [
        (m.name, m.attributes, m.calls) for m in before.classes[0].methods
    ]
    assert after.classes[0].abstract is False

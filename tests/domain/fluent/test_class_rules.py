"""Class and function rules (``classes(...)``, ``functions(...)`` and the ``classes`` and
``functions`` rule types), on a code model built by hand."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from fitness import (
    ClassesRule,
    ConfigError,
    FunctionsRule,
    ProjectGraph,
    RuleViolated,
    classes,
    condition,
    functions,
    predicate,
)
from fitness.domain.code import (
    Call,
    ClassInfo,
    CodeModel,
    FunctionInfo,
    ImportedName,
    ModuleCode,
)
from fitness.domain.options import build_rule
from tests.helpers import fake_graph


def function(
    module: str,
    name: str,
    line: int,
    *,
    calls: Sequence[tuple[str, int]] = (),
    instantiates: Sequence[tuple[str, int]] = (),
    kind: str = "function",
    decorators: tuple[str, ...] = (),
    abstract: bool = False,
) -> FunctionInfo:
    made = [Call(target, at, resolved=True) for target, at in instantiates]
    return FunctionInfo(
        module=module,
        name=name,
        line=line,
        kind=kind,
        public=not name.rpartition(".")[2].startswith("_") or name.endswith("__"),
        abstract=abstract,
        decorators=decorators,
        calls=tuple(
            sorted(
                [
                    Call(
                        target,
                        at,
                        resolved=True,
                        kind="access" if target == "os.environ" else "call",
                    )
                    for target, at in calls
                ]
                + made,
                key=lambda c: c.line,
            )
        ),
        instantiates=tuple(made),
    )


def klass(
    module: str,
    name: str,
    line: int,
    *,
    bases: tuple[str, ...] = (),
    methods: Sequence[tuple[str, int]] = (),
    decorators: tuple[str, ...] = (),
    frozen: bool = False,
    protocol: bool = False,
    abstract: bool = False,
    unresolved_bases: tuple[str, ...] = (),
    calls: Sequence[tuple[str, int]] = (),
) -> ClassInfo:
    return ClassInfo(
        module=module,
        name=name,
        line=line,
        bases=bases,
        unresolved_bases=unresolved_bases,
        decorators=decorators,
        frozen=frozen,
        methods=tuple(
            function(module, f"{name}.{method}", at, kind="method", calls=calls if i == 0 else ())
            for i, (method, at) in enumerate(methods)
        ),
        abstract=abstract or protocol,
        protocol=protocol,
    )


def module_code(
    module: str,
    classes: Sequence[ClassInfo] = (),
    functions: Sequence[FunctionInfo] = (),
    imports: Sequence[ImportedName] = (),
) -> ModuleCode:
    return ModuleCode(
        module=module,
        file=module.replace(".", "/") + ".py",
        imports=tuple(imports),
        exports=None,
        classes=tuple(classes),
        functions=tuple(functions),
        blind_spots=(),
    )


PORTS = "shop.application.ports"
CODE = [
    module_code(
        "shop.domain.records",
        [klass("shop.domain.records", "Record", 4, bases=("sqlalchemy.orm.DeclarativeBase",))],
    ),
    module_code(
        "shop.domain.customer",
        [
            klass("shop.domain.customer", "Customer", 6, bases=("shop.domain.records.Record",)),
            klass(
                "shop.domain.customer",
                "Address",
                12,
                decorators=("dataclasses.dataclass",),
                frozen=True,
            ),
        ],
    ),
    module_code(
        "shop.domain.model",
        [
            klass(
                "shop.domain.model",
                "Order",
                9,
                decorators=("dataclasses.dataclass",),
                methods=[("add", 15), ("total", 20)],
                calls=[("print", 17), ("print", 18), ("shop.domain.model.check", 16)],
            )
        ],
        [function("shop.domain.model", "check", 30, calls=[("os.environ", 31), ("open", 32)])],
    ),
    module_code(
        PORTS,
        [
            klass(
                PORTS,
                "OrderRepository",
                8,
                bases=("typing.Protocol",),
                protocol=True,
                methods=[("get", 9), ("add", 11)],
            ),
        ],
    ),
    module_code(
        "shop.application.memory",
        [
            klass(
                "shop.application.memory",
                "InMemoryOrderRepository",
                5,
                methods=[("__init__", 6), ("get", 9), ("add", 12)],
            )
        ],
    ),
    module_code(
        "shop.application.place_order",
        [
            klass(
                "shop.application.place_order",
                "PlaceOrder",
                10,
                methods=[("__call__", 14)],
            )
        ],
        [
            function(
                "shop.application.place_order",
                "default",
                30,
                instantiates=[("shop.adapters.db.SqlOrderRepository", 31)],
            )
        ],
    ),
    module_code(
        "shop.adapters.db",
        [
            klass(
                "shop.adapters.db",
                "SqlOrderRepository",
                7,
                bases=(f"{PORTS}.OrderRepository",),
                methods=[("get", 11)],
            ),
            klass("shop.adapters.db", "HalfRepository", 20, methods=[("get", 21)]),
        ],
    ),
    module_code(
        "shop.adapters.mem",
        [
            klass("shop.adapters.mem", "Storing", 3, methods=[("add", 4)]),
            klass(
                "shop.adapters.mem",
                "CachedOrders",
                8,
                bases=("shop.adapters.mem.Storing",),
                methods=[("get", 9)],
            ),
        ],
    ),
    module_code(
        "shop.main",
        functions=[
            function(
                "shop.main",
                "create_app",
                8,
                instantiates=[("shop.adapters.db.SqlOrderRepository", 9)],
            )
        ],
    ),
]

GRAPH = fake_graph(
    """
    shop.domain.records -> sqlalchemy
    shop.domain.customer -> shop.domain.records
    shop.domain.model
    shop.application.ports -> shop.domain.model
    shop.application.memory -> shop.application.ports
    shop.application.place_order -> shop.adapters.db
    shop.adapters.db -> shop.application.ports
    shop.main -> shop.adapters.db
    shop.adapters.mem
    """,
    roots=("shop",),
    external=True,
)
MODEL = CodeModel({code.module: code for code in CODE})
GRAPH.attach_code_model(lambda: MODEL)


def failure(rule: object) -> list[str]:
    with pytest.raises(RuleViolated) as excinfo:
        rule.check(GRAPH)  # type: ignore[attr-defined]
    return str(excinfo.value).splitlines()


# Selections -----------------------------------------------------------------------


def test_classes_are_those_of_the_modules_the_patterns_name() -> None:
    names = [c.qualified_name for c in classes("shop.domain").select(GRAPH, MODEL)]
    assert names == [
        "shop.domain.customer.Customer",
        "shop.domain.customer.Address",
        "shop.domain.model.Order",
        "shop.domain.records.Record",
    ]


def test_that_subclass_follows_bases_across_modules_to_external_ones() -> None:
    selected = classes("shop").that_subclass("sqlalchemy.orm.DeclarativeBase").select(GRAPH, MODEL)
    assert [c.name for c in selected] == ["Customer", "Record"]
    assert [c.name for c in classes("shop").that_subclass("sqlalchemy.*").select(GRAPH, MODEL)] == [
        "Customer",
        "Record",
    ]


def test_that_implement_is_structural_and_leaves_protocols_out() -> None:
    selected = classes("shop").that_implement(f"{PORTS}.OrderRepository").select(GRAPH, MODEL)
    # SqlOrderRepository derives from the port but lacks add (a Protocol's methods are
    # declarations); HalfRepository lacks add too; CachedOrders inherits it from Storing.
    assert [c.name for c in selected] == ["CachedOrders", "InMemoryOrderRepository"]


def test_names_decorators_abstract_and_exclusions_narrow_the_selection() -> None:
    assert [c.name for c in classes("shop").that_are_named("*Repository").select(GRAPH, MODEL)] == [
        "SqlOrderRepository",
        "HalfRepository",
        "InMemoryOrderRepository",
        "OrderRepository",
    ]
    decorated = classes("shop").that_are_decorated_with("dataclasses.dataclass")
    assert [c.name for c in decorated.select(GRAPH, MODEL)] == ["Address", "Order"]
    assert [c.name for c in classes("shop").that_are_abstract().select(GRAPH, MODEL)] == [
        "OrderRepository"
    ]
    narrowed = classes("shop").that_are_named("*Repository").excluding("shop.adapters", "*.Half*")
    assert [c.name for c in narrowed.select(GRAPH, MODEL)] == [
        "InMemoryOrderRepository",
        "OrderRepository",
    ]


def test_functions_are_top_level_functions_and_methods() -> None:
    names = [f.name for f in functions("shop.domain.model").select(GRAPH, MODEL)]
    assert sorted(names) == ["Order.add", "Order.total", "check"]
    methods = functions("shop.domain").that_are_named("Order.*").select(GRAPH, MODEL)
    assert [f.name for f in methods] == ["Order.add", "Order.total"]
    assert [
        f.name for f in functions("shop").that_are_named("*.model.c*").select(GRAPH, MODEL)
    ] == ["check"]


# Conditions -----------------------------------------------------------------------


def test_should_not_subclass_shows_the_way_up_to_the_forbidden_base() -> None:
    rule = (
        classes("shop.domain")
        .should_not_subclass("sqlalchemy", "pydantic")
        .because("the model is plain Python")
    )
    assert failure(rule) == [
        "classes in shop.domain should not subclass sqlalchemy or pydantic, "
        "because the model is plain Python.",
        "",
        "shop.domain.customer.Customer (shop/domain/customer.py:6) subclasses "
        "sqlalchemy.orm.DeclarativeBase:",
        "  shop.domain.customer.Customer subclasses shop.domain.records.Record, which "
        "subclasses sqlalchemy.orm.DeclarativeBase",
        "    shop/domain/customer.py:6",
        "    shop/domain/records.py:4",
        "",
        "shop.domain.records.Record (shop/domain/records.py:4) subclasses "
        "sqlalchemy.orm.DeclarativeBase:",
        "  shop.domain.records.Record subclasses sqlalchemy.orm.DeclarativeBase",
        "    shop/domain/records.py:4",
        "",
        "How to fix: Keep the class free of that base: derive it from a class of its own "
        "layer, and map it to the framework in an adapter.",
    ]


def test_should_reside_in_names_the_class_its_file_and_line() -> None:
    rule = (
        classes("shop")
        .that_implement(f"{PORTS}.OrderRepository")
        .should_reside_in("shop.adapters")
        .because("ports are implemented by adapters")
    )
    assert failure(rule)[:3] == [
        "classes in shop that implement shop.application.ports.OrderRepository should reside "
        "in shop.adapters, because ports are implemented by adapters.",
        "",
        "shop.application.memory.InMemoryOrderRepository (shop/application/memory.py:5) "
        "resides in shop.application.memory, outside shop.adapters",
    ]


def test_should_not_call_shows_each_call_with_its_line() -> None:
    lines = failure(functions("shop.domain").should_not_call("print", "open", "os.environ"))
    assert lines[:-2] == [
        "functions in shop.domain should not call print, open or os.environ.",
        "",
        "shop.domain.model.Order.add (shop/domain/model.py:15) calls print:",
        "  shop.domain.model.Order.add calls print",
        "    shop/domain/model.py:17,18",
        "",
        "shop.domain.model.check (shop/domain/model.py:30) calls open:",
        "  shop.domain.model.check calls open",
        "    shop/domain/model.py:32",
        "",
        "shop.domain.model.check (shop/domain/model.py:30) uses os.environ:",
        "  shop.domain.model.check uses os.environ",
        "    shop/domain/model.py:31",
    ]
    functions("shop.domain").should_not_call("requests.*", "datetime.datetime.now").check(GRAPH)


def test_a_call_named_by_the_end_of_its_full_name_is_a_warning_not_a_silent_pass() -> None:
    result = functions("shop.domain").should_not_call("environ", "requests.*").check(GRAPH)
    assert result.warnings == (
        "should_not_call: 'environ' matches no call (calls are matched by their full name); "
        "did you mean 'os.environ'?",
    )


def test_a_base_named_by_the_end_of_its_full_name_is_a_warning_or_a_hint() -> None:
    result = classes("shop.domain").should_not_subclass("DeclarativeBase").check(GRAPH)
    assert result.warnings == (
        "should_not_subclass: 'DeclarativeBase' names no base class (bases are matched by "
        "their full name); did you mean 'sqlalchemy.orm.DeclarativeBase'?",
    )
    assert failure(classes("shop").that_subclass("DeclarativeBase").should_be_frozen())[2] == (
        "the selection (classes in shop that subclass DeclarativeBase) is empty: none of their "
        "classes subclass DeclarativeBase (bases are matched by their full name; did you mean "
        "'sqlalchemy.orm.DeclarativeBase'?) "
        "(use .allow_empty(), or allow_empty = true, if that is expected)"
    )


def test_classes_should_not_call_checks_their_methods() -> None:
    lines = failure(classes("shop.domain").should_not_call("print"))
    assert lines[2] == "shop.domain.model.Order.add (shop/domain/model.py:15) calls print:"


def test_should_only_be_instantiated_in_the_composition_root() -> None:
    rule = (
        classes("shop.adapters")
        .that_are_named("*Repository")
        .should_only_be_instantiated_in("shop.main")
    )
    assert failure(rule)[:6] == [
        "classes in shop.adapters that are named *Repository should only be instantiated in "
        "shop.main.",
        "",
        "shop.adapters.db.SqlOrderRepository (shop/adapters/db.py:7) is instantiated in "
        "shop.application.place_order.default, outside shop.main:",
        "  shop.application.place_order.default instantiates shop.adapters.db.SqlOrderRepository",
        "    shop/application/place_order.py:31",
        "",
    ]


def test_should_implement_lists_the_missing_methods() -> None:
    rule = classes("shop.adapters").should_implement(f"{PORTS}.OrderRepository")
    assert failure(rule)[2:5:2] == [
        "shop.adapters.db.HalfRepository (shop/adapters/db.py:20) does not implement "
        "shop.application.ports.OrderRepository: it lacks add",
        "shop.adapters.db.SqlOrderRepository (shop/adapters/db.py:7) does not implement "
        "shop.application.ports.OrderRepository: it lacks add",
    ]


def test_should_be_named_frozen_and_subclass() -> None:
    assert failure(classes("shop.adapters").should_be_named("Sql*"))[2] == (
        "shop.adapters.db.HalfRepository (shop/adapters/db.py:20) is not named Sql*"
    )
    many = classes("shop.adapters").should_be_named("Sql*", "*Store", "*Dao", "*Gateway")
    assert failure(many)[0] == (
        "classes in shop.adapters should be named Sql*, *Store, *Dao or *Gateway."
    )
    assert failure(many)[2] == (
        "shop.adapters.db.HalfRepository (shop/adapters/db.py:20) matches none of the 4 name "
        "patterns"
    )
    assert failure(classes("shop.domain.customer").should_be_frozen())[2] == (
        "shop.domain.customer.Customer (shop/domain/customer.py:6) is not frozen"
    )
    classes("shop.domain.customer").that_are_named("Address").should_be_frozen().check(GRAPH)
    classes("shop.adapters.db").that_are_named("Sql*").should_subclass(
        f"{PORTS}.OrderRepository"
    ).check(GRAPH)
    assert failure(classes("shop.adapters").should_subclass(f"{PORTS}.OrderRepository"))[2] == (
        "shop.adapters.db.HalfRepository (shop/adapters/db.py:20) does not subclass "
        "shop.application.ports.OrderRepository"
    )


def test_custom_predicates_and_conditions_get_the_class_and_the_graph() -> None:
    @predicate("have methods")
    def with_methods(cls: ClassInfo, graph: ProjectGraph) -> bool:
        return bool(cls.methods)

    @condition("have at most one public method")
    def one_method(cls: ClassInfo, graph: ProjectGraph) -> bool | str:
        public = [m for m in cls.methods if m.public and not m.name.endswith("__")]
        return len(public) <= 1 or f"it has {len(public)}"

    rule = classes("shop.application").that(with_methods).should(one_method)
    assert failure(rule)[:3] == [
        "classes in shop.application that have methods should have at most one public method.",
        "",
        "shop.application.memory.InMemoryOrderRepository (shop/application/memory.py:5): it has 2",
    ]


# Empty selections and bad names ----------------------------------------------------


def test_an_empty_selection_fails_with_the_reason_unless_allowed() -> None:
    assert failure(classes("shop.domian").should_be_frozen())[2] == (
        "modules: module 'shop.domian' is not in the graph; did you mean 'shop.domain'?"
    )
    assert failure(classes("shop").that_are_decorated_with("dataclass").should_be_frozen())[2] == (
        "the selection (classes in shop that are decorated with dataclass) is empty: none of "
        "their classes are decorated with dataclass (decorators are matched by their full name; "
        "did you mean 'dataclasses.dataclass'?) (use .allow_empty(), or allow_empty = true, if "
        "that is expected)"
    )
    classes("shop.domian").should_be_frozen().allow_empty().check(GRAPH)


def test_a_mistyped_class_of_the_project_is_an_error_not_a_pass() -> None:
    lines = failure(classes("shop").should_not_subclass("shop.domain.records.Recrod"))
    assert lines[2] == (
        "should_not_subclass: 'shop.domain.records.Recrod' is no class of the project; "
        "did you mean 'shop.domain.records.Record'?"
    )


def test_misuse_of_the_fluent_api_is_a_type_error_saying_what_it_takes() -> None:
    with pytest.raises(TypeError, match=r"classes\(\) takes one or more module names"):
        classes()
    with pytest.raises(TypeError, match=r"functions\(\) takes one or more module names"):
        functions("shop", "")
    with pytest.raises(TypeError, match=r"that\(\) takes a described predicate"):
        classes("shop").that(lambda cls, graph: True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"should\(\) takes a described condition"):
        classes("shop").should(lambda cls, graph: True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"should_reside_in\(\) takes one or more names"):
        classes("shop").should_reside_in()
    with pytest.raises(TypeError, match="needs the project graph"):
        classes("shop").should_be_frozen().check(object())  # type: ignore[arg-type]


def test_a_rule_reads_as_its_sentence_and_keeps_its_name() -> None:
    builder = (
        classes("shop.domain")
        .that_are_decorated_with("dataclasses.dataclass")
        .should_be_frozen()
        .because("values do not change")
        .named("Values are frozen")
    )
    assert str(builder) == (
        "classes in shop.domain that are decorated with dataclasses.dataclass should be frozen, "
        "because values do not change"
    )
    result = builder.evaluate(GRAPH)
    assert result.rule_name == "Values are frozen"
    assert [v.importer for v in result.violations] == ["shop.domain.model.Order"]


# The rule types ---------------------------------------------------------------------


def test_the_classes_rule_type_is_the_fluent_rule_declared() -> None:
    declared = build_rule(
        ClassesRule,
        {
            "name": "Repositories live in the adapters",
            "modules": ["shop"],
            "that_implement": [f"{PORTS}.OrderRepository"],
            "should_reside_in": ["shop.adapters"],
            "because": "ports are implemented by adapters",
        },
    )
    fluent = (
        classes("shop")
        .that_implement(f"{PORTS}.OrderRepository")
        .should_reside_in("shop.adapters")
        .because("ports are implemented by adapters")
        .rule()
    )
    assert declared.description == fluent.description
    assert declared.result(GRAPH).violations == fluent.result(GRAPH).violations


def test_the_functions_rule_type_is_the_fluent_rule_declared() -> None:
    declared = build_rule(
        FunctionsRule,
        {"name": "no I/O", "modules": ["shop.domain"], "should_not_call": ["print"]},
    )
    fluent = functions("shop.domain").should_not_call("print").rule()
    assert (
        declared.description
        == fluent.description
        == ("functions in shop.domain should not call print")
    )
    assert declared.result(GRAPH).violations == fluent.result(GRAPH).violations


@pytest.mark.parametrize(
    ("rule_type", "options", "message"),
    [
        (ClassesRule, {"modules": ["shop"]}, "give exactly one of should_reside_in, "),
        (
            ClassesRule,
            {"modules": ["shop"], "should_be_frozen": True, "should_be_named": ["X"]},
            "(found should_be_named, should_be_frozen)",
        ),
        (
            ClassesRule,
            {"modules": ["shop"], "should_not_subclas": ["x"]},
            "did you mean 'should_not_subclass'",
        ),
        (ClassesRule, {"modules": [], "should_be_frozen": True}, "option 'modules' must name"),
        (
            FunctionsRule,
            {"modules": ["shop"], "that_subclass": ["x"], "should_not_call": ["print"]},
            "unknown option 'that_subclass'",
        ),
        (
            FunctionsRule,
            {"modules": ["shop"], "should_not_cal": ["print"]},
            "did you mean 'should_not_call'",
        ),
    ],
)
def test_declared_options_are_validated(
    rule_type: type, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as excinfo:
        build_rule(rule_type, {"name": "r", **options})
    assert message in str(excinfo.value)


# Subclassing and implementing, the same way everywhere (issue 21) ---------------------------


def test_should_subclass_leaves_the_base_itself_out_as_that_subclass_does() -> None:
    """Found on cosmicpython: `AbstractRepository does not subclass AbstractRepository`,
    while that_subclass left it out of its selection."""
    records = classes("shop.domain")
    assert [
        c.name for c in records.that_subclass("shop.domain.records.Record").select(GRAPH, MODEL)
    ] == ["Customer"]
    failed = failure(records.should_subclass("shop.domain.records.Record"))
    assert [line for line in failed if "does not subclass" in line] == [
        "shop.domain.customer.Address (shop/domain/customer.py:12) does not subclass "
        "shop.domain.records.Record",
        "shop.domain.model.Order (shop/domain/model.py:9) does not subclass "
        "shop.domain.records.Record",
    ]  # (not Record)
    classes("shop.domain.records", "shop.domain.customer").that_are_named(
        "R*", "C*"
    ).should_subclass("shop.domain.records.Record").check(GRAPH)


def test_should_implement_takes_several_protocols_as_should_subclass_takes_several_bases() -> None:
    rule = classes("shop.adapters.mem").should_implement(
        f"{PORTS}.OrderRepository", "shop.adapters.mem.Storing"
    )
    assert rule.rule().description.startswith(
        "classes in shop.adapters.mem should implement shop.application.ports.OrderRepository "
        "or shop.adapters.mem.Storing"
    )
    rule.check(GRAPH)  # Storing implements itself; CachedOrders both
    assert failure(
        classes("shop.adapters.db").should_implement(
            f"{PORTS}.OrderRepository", "shop.adapters.mem.Storing"
        )
    )[2] == (
        "shop.adapters.db.HalfRepository (shop/adapters/db.py:20) implements none of "
        "shop.application.ports.OrderRepository or shop.adapters.mem.Storing: it lacks add of "
        "shop.application.ports.OrderRepository; it lacks add of shop.adapters.mem.Storing"
    )


@pytest.mark.parametrize("given", ["shop.domain.records.Record", ["shop.domain.records.Record"]])
@pytest.mark.parametrize("key", ["should_subclass", "that_subclass", "should_implement"])
def test_the_rule_type_takes_a_name_or_a_list_for_each(key: str, given: object) -> None:
    options: dict[str, object] = {"name": "r", "modules": ["shop.domain"], key: given}
    if key == "that_subclass":
        options["should_be_named"] = ["*"]
    rule = build_rule(ClassesRule, options)
    assert "shop.domain.records.Record" in rule.describe()

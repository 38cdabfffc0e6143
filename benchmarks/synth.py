"""Synthetic codebases for the scaling benchmark: N modules, layered, realistic fan-out.

The package ``synth`` has five layers (``interface > application > services >
domain > core``); each layer holds components of about 20 modules. A module
imports about 8 others: 3 in its own component (which makes small cycles), 3 in
lower layers, 1 in another component of the same layer (in ``services`` and
``core`` only), and 1 standard-library module; 2 % of the modules also import a
higher layer (layer violations and long cycles). The rules name a fixed number
of components, so that they stay the same rules as the codebase grows. Each module defines two
classes and a function, so class-level metrics have something to measure.
The output is deterministic for a given size and seed.

    python benchmarks/synth.py 5000 /tmp/synth5k
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

LAYERS = ("interface", "application", "services", "domain", "core")
CROSS_COMPONENT_LAYERS = ("services", "core")
MODULES_PER_COMPONENT = 20
STDLIB = ("os", "json", "typing", "collections", "dataclasses", "logging", "re", "functools")

#: Rules over the synthetic package, by rule type (only the types that exist are used).
RULES: dict[str, str] = {
    "layers": """
name = "layers"
type = "layers"
layers = ["synth.interface", "synth.application", "synth.services", "synth.domain", "synth.core"]
""",
    "forbidden": """
name = "forbidden"
type = "forbidden"
source_modules = ["synth.domain", "synth.core"]
forbidden_modules = ["synth.interface", "logging"]
""",
    "independence": """
name = "independence"
type = "independence"
modules = [{adapters}]
""",
    "protected": """
name = "protected"
type = "protected"
protected_modules = ["synth.core.c0"]
allowed_importers = ["synth.domain", "synth.core"]
""",
    "private_modules": """
name = "private_modules"
type = "private_modules"
packages_with_private_modules = ["synth"]
""",
    "acyclic_siblings": """
name = "acyclic_siblings"
type = "acyclic_siblings"
ancestors = ["synth"]
""",
    "acyclic": """
name = "acyclic"
type = "acyclic"
modules = ["synth"]
depth = 3
""",
    "hexagonal": """
name = "hexagonal"
type = "hexagonal"
domain = "synth.domain"
application = "synth.application"
adapters = [{adapters}]
""",
    "metrics": """
name = "metrics"
type = "metrics"
depth = 3
max_instability = 1.0
""",
}


def layout(size: int) -> list[list[list[str]]]:
    """Module names by layer, then component."""
    per_layer = max(1, size // len(LAYERS))
    components = max(1, round(per_layer / MODULES_PER_COMPONENT))
    result = []
    count = 0
    for index, layer in enumerate(LAYERS):
        wanted = size - count if index == len(LAYERS) - 1 else per_layer
        layer_modules: list[list[str]] = [[] for _ in range(components)]
        for i in range(wanted):
            c = i % components
            layer_modules[c].append(f"synth.{layer}.c{c}.m{i // components}")
        count += wanted
        result.append(layer_modules)
    return result


def module_source(
    rng: random.Random, module: str, layer: int, component: int, modules: list[list[list[str]]]
) -> str:
    own = [m for m in modules[layer][component] if m != module]
    imports: set[str] = set(rng.sample(own, min(3, len(own))))
    lower = [c for below in modules[layer + 1 :] for c in below]
    for _ in range(3):
        if lower:
            imports.add(rng.choice(rng.choice(lower)))
    if LAYERS[layer] in CROSS_COMPONENT_LAYERS and len(modules[layer]) > 1:
        other = rng.choice([c for i, c in enumerate(modules[layer]) if i != component])
        imports.add(rng.choice(other))
    if layer > 0 and rng.random() < 0.02:
        imports.add(rng.choice(rng.choice(modules[rng.randrange(layer)])))
    lines = [f'"""Synthetic module {module}."""', "", f"import {rng.choice(STDLIB)}"]
    for name in sorted(imports):
        package, _, leaf = name.rpartition(".")
        if rng.random() < 0.5:
            lines.append(f"from {package} import {leaf}")
        else:
            lines.append(f"import {name}")
    lines += [
        "",
        "",
        "class Service:",
        "    def __init__(self) -> None:",
        "        self.items = []",
        "        self.count = 0",
        "",
        "    def add(self, item):",
        "        self.items.append(item)",
        "        self.count += 1",
        "",
        "    def total(self):",
        "        return self.count",
        "",
        "",
        "class Record:",
        "    def __init__(self, key):",
        "        self.key = key",
        "",
        "    def describe(self):",
        "        return str(self.key)",
        "",
        "",
        "def helper(value):",
        "    return Service().total() + len(str(value))",
        "",
    ]
    return "\n".join(lines)


def generate(
    size: int, target: Path, *, seed: int = 7, rule_types: list[str] | None = None
) -> Path:
    """Write the package ``synth`` of ``size`` modules and a pyproject.toml with rules."""
    rng = random.Random(seed)
    modules = layout(size)
    root = target / "synth"
    root.mkdir(parents=True, exist_ok=True)
    (root / "__init__.py").write_text("")
    for layer_index, layer in enumerate(modules):
        layer_dir = root / LAYERS[layer_index]
        layer_dir.mkdir(exist_ok=True)
        (layer_dir / "__init__.py").write_text("")
        for component_index, component in enumerate(layer):
            component_dir = layer_dir / f"c{component_index}"
            component_dir.mkdir(exist_ok=True)
            (component_dir / "__init__.py").write_text("")
            for module in component:
                source = module_source(rng, module, layer_index, component_index, modules)
                (component_dir / f"{module.rpartition('.')[2]}.py").write_text(source)
    types = [t for t in RULES if rule_types is None or t in rule_types]
    # A fixed number of components in the independence and hexagonal rules: the rules
    # stay the same as the codebase grows (independence is quadratic in its modules).
    adapters = ", ".join(f'"synth.interface.c{i}"' for i in range(min(10, len(modules[0]))))
    rules = "".join(
        f"\n[[tool.fitness.rules]]{RULES[t].replace('{adapters}', adapters)}" for t in types
    )
    (target / "pyproject.toml").write_text(
        '[tool.fitness]\nroot_packages = ["synth"]\ninclude_external_packages = true\n' + rules
    )
    return target


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))

"""Coupling and cohesion metrics: pure functions of a networkx graph or of class facts.

- :mod:`~fitness.domain.metrics.martin`: Ca, Ce, I, A, D (Robert C. Martin).
- :mod:`~fitness.domain.metrics.cohesion`: LCOM4, relational cohesion H.
- :mod:`~fitness.domain.metrics.system`: propagation cost, CCD/ACD/NCCD,
  cycle groups, modularity.
- :mod:`~fitness.domain.metrics.principles`: stable dependencies and stable
  abstractions.
- :mod:`~fitness.domain.code.classfacts`: classes, a view of the code model.
- :mod:`~fitness.domain.metrics.report`: all of them for a project.

The public names are re-exported by :mod:`fitness.metrics`.
"""

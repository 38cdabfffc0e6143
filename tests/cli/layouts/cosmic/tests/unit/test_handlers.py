from allocation import bootstrap
from allocation.domain import commands


def test_allocates() -> None:
    bus = bootstrap.bootstrap(start_orm=False)
    bus.handle(commands.CreateBatch("b1", "LAMP", 100, None))

import inspect
from collections.abc import Callable

from allocation.adapters import orm, redis_eventpublisher
from allocation.adapters.notifications import AbstractNotifications, EmailNotifications
from allocation.service_layer import handlers, messagebus, unit_of_work


def bootstrap(
    start_orm: bool = True,
    uow: unit_of_work.AbstractUnitOfWork | None = None,
    notifications: AbstractNotifications | None = None,
    publish: Callable = redis_eventpublisher.publish,
) -> messagebus.MessageBus:
    uow = uow or unit_of_work.SqlAlchemyUnitOfWork()
    notifications = notifications or EmailNotifications()
    if start_orm:
        orm.start_mappers()
    dependencies = {"uow": uow, "notifications": notifications, "publish": publish}
    return messagebus.MessageBus(
        uow=uow,
        event_handlers={
            event_type: [inject_dependencies(handler, dependencies) for handler in event_handlers]
            for event_type, event_handlers in handlers.EVENT_HANDLERS.items()
        },
        command_handlers={
            command_type: inject_dependencies(handler, dependencies)
            for command_type, handler in handlers.COMMAND_HANDLERS.items()
        },
    )


def inject_dependencies(handler: Callable, dependencies: dict) -> Callable:
    params = inspect.signature(handler).parameters
    deps = {name: dependency for name, dependency in dependencies.items() if name in params}
    return lambda message: handler(message, **deps)

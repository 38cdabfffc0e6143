import json
import logging

import redis

from allocation import bootstrap, config
from allocation.domain import commands

logger = logging.getLogger(__name__)
r = redis.Redis(**config.get_redis_host_and_port())


def main() -> None:
    bus = bootstrap.bootstrap()
    pubsub = r.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe("change_batch_quantity")
    for m in pubsub.listen():
        data = json.loads(m["data"])
        bus.handle(commands.ChangeBatchQuantity(ref=data["batchref"], qty=data["qty"]))


if __name__ == "__main__":
    main()

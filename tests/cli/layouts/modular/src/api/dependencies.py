from config.container import Container


def get_container() -> Container:
    return Container(session=None)

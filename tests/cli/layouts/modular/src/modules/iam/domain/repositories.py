from seedwork.domain.repositories import GenericRepository


class UserRepository(GenericRepository):
    pass

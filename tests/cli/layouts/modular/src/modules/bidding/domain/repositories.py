from seedwork.domain.repositories import GenericRepository


class ListingRepository(GenericRepository):
    pass

from fastapi import FastAPI

from api.routers import bidding, catalog, iam

app = FastAPI()
app.include_router(catalog.router)
app.include_router(bidding.router)
app.include_router(iam.router)

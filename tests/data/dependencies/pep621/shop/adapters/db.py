from sqlalchemy import orm

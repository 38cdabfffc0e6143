"""The frameworks and drivers ring: Flask, SQLAlchemy, SMTP, and the composition root."""

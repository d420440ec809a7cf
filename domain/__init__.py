"""Pure programme logic: no botbuilder, aiohttp or SQLAlchemy imports here."""

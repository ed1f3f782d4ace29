"""Pages of programmes, services and events, and the pages that gather
every kind of record: the home page and an organisation's page."""

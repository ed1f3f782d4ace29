"""Public pages the whole-site checks walk (no tests of its own)."""

# The home page, the four lists and a search: the pages read most, which
# need no record of their own to answer.
MOST_READ = ["/", "/programmes/", "/organisations/", "/services/", "/events/", "/search/?q=cradle"]

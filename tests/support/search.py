"""Reading the search page as a reader does (no tests of its own)."""


def found_names(client, q, key, path="/search/"):
    """The names the search page at `path` lists for `q` under the group `key`
    ("organisations", "programmes"…); the page itself must answer."""
    response = client.get(path, {"q": q})
    assert response.status_code == 200
    for group in response.context["groups"]:
        if group["key"] == key:
            return [r.name for r in group["results"]]
    return []

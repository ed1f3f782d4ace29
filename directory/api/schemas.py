"""The shapes of the JSON API's answers (pydantic, for the OpenAPI document).

Views build plain dicts and answer them themselves (with validators and
cache headers); these models describe them, and the schemathesis test checks
that every answer matches its description.
"""

import datetime

from ninja import Schema
from pydantic import Field, create_model


class Error(Schema):
    error: str
    status: int
    parameter: str | None = Field(None, description="The query parameter at fault, if one is.")


class Term(Schema):
    slug: str
    name: str


class Ref(Schema):
    slug: str
    name: str
    url: str = Field(description="The record's page on the site, in the requested language.")


class RoleRef(Ref):
    role: str


class SourceRef(Schema):
    slug: str
    title: str
    publisher: str
    published: str | None = Field(
        description="YYYY-MM-DD, YYYY-MM or YYYY: as precise as the article is dated."
    )
    original_url: str = Field(description="Where the article was published (may be empty).")
    url: str = Field(description="The article's page on the site, cited passages marked.")


class CitationOut(Schema):
    quote: str = Field(description="Copied word for word from the source.")
    supports: str = Field(description="A note, in the editor's words, on what the quote supports.")
    facts: list[str] = Field(
        description="The key facts of the record the quote backs: name, runs, partners, "
        "for_whom, help, where, status, date, attendance, sectors."
    )
    source: SourceRef


class Record(Schema):
    slug: str
    url: str = Field(description="The record's page, in the requested language.")
    api_url: str
    last_verified: datetime.date | None = Field(
        description="When staff last checked the record against its sources."
    )
    updated_at: datetime.datetime
    english_only: list[str] = Field(
        description="Text fields given in English because no translation exists yet."
    )
    citations: list[CitationOut]


class Organisation(Record):
    name: str
    short_name: str
    description: str
    kind: str
    kind_label: str
    website: str
    email: str = Field(description="Its public e-mail address, where a source gives one.")
    phone: str = Field(description="Its public telephone number, where a source gives one.")
    region: Term | None
    parent: Ref | None
    sectors: list[Term]


class Region(Schema):
    slug: str
    name: str
    kind: str
    parent: str | None = Field(description="The slug of the region it is part of.")
    latitude: float | None
    longitude: float | None
    english_only: list[str]


class Vocabulary(Schema):
    slug: str
    name: str
    description: str
    english_only: list[str]


class Source(Schema):
    slug: str
    title: str
    publisher: str
    published: str | None
    dateline: str
    original_url: str
    url: str
    api_url: str
    english_only: list[str]


class PageBase(Schema):
    count: int = Field(description="Matching records (a search counts up to 1,000).")
    count_is_capped: bool
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    language: str


def page_of(item, name):
    return create_model(name, __base__=PageBase, results=(list[item], ...))


ERRORS = {400: Error, 404: Error}

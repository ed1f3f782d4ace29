"""Synthetic records for load tests: realistic shapes and sizes, nothing real.

`generate(programmes=N)` writes N programmes and, scaled from N, organisations
(N/5), events (N/2) and services (2N) with their relations, in bulk. Every
record it writes carries `seed_key="synthetic:…"` and the visible marker
"[Synthetic record]" in its description, so it can never pass for a real one.

Records are built in memory with their search columns (the generator knows
each record's related names), then written with COPY on PostgreSQL, or
`bulk_create` elsewhere (the small sets tests load on SQLite). The search
columns are exactly what `directory.search.refresh_search_index` would store.

Only meant for a database of its own (see README: a separate DATABASE_URL);
`check_target_database` refuses one that holds real published records.
"""

import collections
import concurrent.futures
import datetime
import functools
import io
import json
import operator
import random
import time
import unicodedata
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from directory import facets, search
from directory.models import Citation, Organisation, Region, Sector, ServiceCategory, SourceArticle
from directory.models.base import DatePrecision, PublicationStatus
from directory.models.index import FacetEntry, NameWord
from directory.search import documents
from directory.search import text as search_text
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

MARKER = "[Synthetic record]"
SEED_PREFIX = "synthetic:"
BATCH_SIZE = 2000

# A word in nearly every programme's text, for benchmarking a search that
# matches most records; each programme's codename is the rare counterpart.
COMMON_TERM = "enterprises"

PUBLIC_MODELS = (Organisation, Programme, Service, Event)

# Pinyin syllables with a character each, to build place-like names such as
# "Jinhai" / 金海. Invented combinations, not real places.
SYLLABLES = [
    ("jin", "金"),
    ("hai", "海"),
    ("ning", "宁"),
    ("an", "安"),
    ("chang", "长"),
    ("xing", "兴"),
    ("lin", "林"),
    ("shan", "山"),
    ("he", "河"),
    ("dong", "东"),
    ("nan", "南"),
    ("xi", "西"),
    ("bei", "北"),
    ("hua", "华"),
    ("yun", "云"),
    ("qing", "青"),
    ("feng", "丰"),
    ("tai", "泰"),
    ("ping", "平"),
    ("kang", "康"),
    ("long", "龙"),
    ("fu", "福"),
    ("jiang", "江"),
    ("hu", "湖"),
    ("yang", "阳"),
    ("guang", "光"),
    ("ming", "明"),
    ("de", "德"),
    ("rong", "荣"),
    ("sheng", "盛"),
    ("tian", "天"),
    ("yuan", "源"),
    ("zhou", "州"),
    ("lan", "兰"),
    ("qiao", "桥"),
    ("wan", "湾"),
    ("song", "松"),
    ("mei", "梅"),
    ("bao", "宝"),
    ("chun", "春"),
]

SECTORS = [
    ("Artificial intelligence", "人工智能"),
    ("Biotechnology", "生物科技"),
    ("New energy", "新能源"),
    ("Advanced manufacturing", "先进制造"),
    ("Fintech", "金融科技"),
    ("Cross-border e-commerce", "跨境电商"),
    ("Smart city", "智慧城市"),
    ("Health technology", "医疗科技"),
    ("Robotics", "机器人"),
    ("Semiconductors", "半导体"),
    ("New materials", "新材料"),
    ("Logistics", "物流"),
    ("Agritech", "农业科技"),
    ("Creative industries", "文化创意"),
    ("Low-altitude economy", "低空经济"),
    ("Green finance", "绿色金融"),
]

CATEGORIES = [
    ("Market entry advice", "市场进入咨询"),
    ("Financing", "融资"),
    ("Intellectual property", "知识产权"),
    ("Legal and compliance", "法律合规"),
    ("Business matching", "商务配对"),
    ("Talent", "人才"),
    ("Testing and certification", "检测认证"),
    ("Trade fairs", "展会"),
    ("Incubation", "孵化"),
    ("Office space", "办公空间"),
    ("Tax advice", "税务咨询"),
    ("Brand building", "品牌建设"),
]

ORG_SUFFIXES = {
    Organisation.Kind.HK_GOVERNMENT: ["Trade Office", "Innovation Bureau"],
    Organisation.Kind.STATUTORY_BODY: ["Productivity Council", "Development Council"],
    Organisation.Kind.HKSAR_MAINLAND_OFFICE: ["Liaison Unit", "Economic and Trade Office"],
    Organisation.Kind.MAINLAND_GOVERNMENT: ["Commerce Bureau", "Science and Technology Bureau"],
    Organisation.Kind.INNOVATION_HUB: ["Innovation Park", "Science City", "Cooperation Zone"],
    Organisation.Kind.UNIVERSITY: ["Institute of Technology", "Research Institute"],
    Organisation.Kind.COMPANY: ["Technology Co., Ltd.", "Holdings", "Capital"],
    Organisation.Kind.CHAMBER: ["Chamber of Commerce", "Industry Association"],
    Organisation.Kind.OTHER: ["Service Centre", "Foundation"],
}

ORG_KIND_WEIGHTS = [2, 2, 1, 8, 6, 5, 40, 6, 3]

PROGRAMME_NOUNS = [
    "Going Global Acceleration Programme",
    "Overseas Expansion Service Plan",
    "Cross-border Innovation Platform",
    "Technology Transfer Fund",
    "Market Access Initiative",
    "Startup Landing Programme",
    "Enterprise Partnership Scheme",
    "Innovation Service Centre",
]

EVENT_NOUNS = [
    "Going Global Forum",
    "Innovation Expo",
    "Investment Matching Seminar",
    "Technology Conference",
    "Overseas Market Briefing",
    "Delegation Visit",
    "Cooperation Signing Ceremony",
]

SENTENCES = [
    "It helps {sector} enterprises from {place} prepare for overseas markets through Hong Kong.",
    "Participating enterprises receive {category} from advisers in Hong Kong and on the mainland.",
    "The scheme pairs firms with partners who know the target markets in South-East Asia, "
    "the Middle East and Europe.",
    "Support covers compliance checks, branding, financing introductions and product "
    "certification for small and medium enterprises.",
    "Applications are reviewed each quarter and shortlisted enterprises are invited to a "
    "briefing in {place}.",
    "Since its launch the programme has served several hundred enterprises across the "
    "{sector} value chain.",
    "Workshops on {category} run in Putonghua and English, with case studies from earlier cohorts.",
    "Organisers expect the next round to focus on {sector} and on firms with export experience.",
]

AUDIENCES = [
    "Small and medium enterprises planning their first overseas office",
    "Technology start-ups with a product ready for export",
    "Listed companies expanding a regional headquarters",
    "University spin-offs seeking international partners",
]


def _weighted_status(rng):
    roll = rng.random()
    if roll < 0.10:
        return PublicationStatus.DRAFT
    if roll < 0.15:
        return PublicationStatus.ARCHIVED
    return PublicationStatus.PUBLISHED


@functools.cache
def _slug(name):
    # Many records share a name ("Financing for Jinhai enterprises"): slugify each once.
    return slugify(name)[:150]


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


@dataclass
class Counts:
    programmes: int
    organisations: int
    events: int
    services: int

    @classmethod
    def scaled(cls, programmes):
        # 100,000 programmes : 20,000 organisations : 50,000 events : 200,000 services.
        return cls(
            programmes=programmes,
            organisations=max(1, programmes // 5),
            events=max(1, programmes // 2),
            services=programmes * 2,
        )


class SampleDataRefused(Exception):
    pass


def synthetic(queryset):
    return queryset.filter(seed_key__startswith=SEED_PREFIX)


def check_target_database():
    """Refuses a database holding real published records (e.g. the seeds)."""
    for model in PUBLIC_MODELS:
        real = model.objects.published().exclude(seed_key__startswith=SEED_PREFIX)
        if real.exists():
            raise SampleDataRefused(
                f"This database holds published {model._meta.verbose_name_plural} that are not "
                "synthetic. Point DATABASE_URL at a separate, empty database for sample data."
            )


def existing_synthetic_programmes():
    return synthetic(Programme.objects.all()).count()


@dataclass
class _Names:
    """Place-like names drawn from the syllable table, unique per run."""

    rng: random.Random
    used: set = field(default_factory=set)

    def place(self, syllables=2):
        for _attempt in range(50):
            picked = self.rng.sample(SYLLABLES, syllables)
            latin = "".join(s for s, _c in picked).capitalize()
            if latin not in self.used:
                self.used.add(latin)
                return latin, "".join(c for _s, c in picked)
        # The table has 1,560 two-syllable names; beyond that, three syllables.
        return self.place(syllables + 1)

    def codename(self):
        picked = [self.rng.choice(SYLLABLES) for _ in range(3)]
        return "".join(s for s, _c in picked).capitalize(), "".join(c for _s, c in picked)


class Generator:
    """Builds the records in memory, batch by batch, and hands them to a writer.

    Each public record's search columns are computed here, from the related
    records this run just made, rather than read back from the database."""

    def __init__(self, programmes, seed=1, stdout=None):
        self.counts = Counts.scaled(programmes)
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.stdout = stdout
        self.has_zh = _has_field(Programme, "name_zh_hans")
        writer = CopyWriter if connection.vendor == "postgresql" else OrmWriter
        self.writer = writer(self.counts)
        self.search_columns = SearchColumns()

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # -- reference data ----------------------------------------------------

    def ensure_regions(self):
        """Uses the regions present; builds a synthetic tree when there are few."""
        if Region.objects.count() < 30:
            self._build_region_tree(provinces=max(3, min(31, self.counts.programmes // 500)))
        regions = list(Region.objects.order_by("name", "pk"))
        self.regions = {region.pk: region for region in regions}
        self.region_ids = list(self.regions)
        self.city_ids = [r.pk for r in regions if r.kind == Region.Kind.CITY] or list(
            self.region_ids
        )
        self.place_names = [region.name for region in regions]
        self.region_order = collation_ranks(self.place_names)

    def _build_region_tree(self, provinces):
        rows = []

        def region(kind, parent, suffix, suffix_zh):
            latin, chinese = self.names.place()
            n = len(rows)
            obj = Region(
                name=f"{latin} {suffix}".strip(),
                slug=f"synthetic-{slugify(latin)}-{n}",
                kind=kind,
                parent=parent,
                alternative_names=MARKER,
                seed_key=f"{SEED_PREFIX}region:{n}",
            )
            if _has_field(Region, "name_zh_hans"):
                obj.name_zh_hans = chinese + suffix_zh
            rows.append(obj)
            return obj

        for _p in range(provinces):
            province = region(Region.Kind.PROVINCE, None, "Province", "省")
            province.save()
            cities = [region(Region.Kind.CITY, province, "", "市") for _c in range(6)]
            Region.objects.bulk_create(cities)
            zones = []
            for city in cities:
                zones.append(region(Region.Kind.DISTRICT, city, "District", "区"))
                zones.append(region(Region.Kind.DISTRICT, city, "District", "区"))
                zones.append(region(Region.Kind.ZONE, city, "New Area", "新区"))
            Region.objects.bulk_create(zones)

    def ensure_taxonomies(self):
        for model, table in ((Sector, SECTORS), (ServiceCategory, CATEGORIES)):
            if model.objects.count() >= len(table) // 2:
                continue
            objs = []
            for name, chinese in table:
                obj = model(
                    name=name,
                    slug=f"synthetic-{slugify(name)}",
                    description=f"{MARKER} Synthetic {model._meta.verbose_name}.",
                    seed_key=f"{SEED_PREFIX}{model._meta.model_name}:{slugify(name)}",
                )
                if _has_field(model, "name_zh_hans"):
                    obj.name_zh_hans = chinese
                objs.append(obj)
            model.objects.bulk_create(objs, ignore_conflicts=True)
        sectors = list(Sector.objects.order_by("name", "pk"))
        categories = list(ServiceCategory.objects.order_by("name", "pk"))
        self.sectors = [(s.pk, s.name) for s in sectors]
        self.categories = [(c.pk, c.name) for c in categories]
        self.sector_by_id = {s.pk: s for s in sectors}
        self.category_by_id = {c.pk: c for c in categories}
        self.sector_order = collation_ranks(s.name for s in sectors)

    # -- ordering as the per-record refresh reads relations -----------------

    def _regions_by_name(self, ids):
        return sorted((self.regions[pk] for pk in ids), key=lambda r: self.region_order[r.name])

    def _sectors_by_name(self, ids):
        return sorted(
            (self.sector_by_id[pk] for pk in ids), key=lambda s: self.sector_order[s.name]
        )

    def _role_organisations(self, roles):
        """The organisations of (organisation id, role) pairs, ordered by role,
        then organisation name."""
        ordered = sorted(
            roles,
            key=lambda pair: (
                self.role_order[pair[1]],
                self.organisation_order[self.organisations[pair[0]].name],
            ),
        )
        return [self.organisations[organisation_id] for organisation_id, _role in ordered]

    def write_public(self, model, objs, related):
        """Writes public records with their search columns, from `related`:
        per record, its related records in the order the refresh reads them."""
        texts = []
        for obj, records in zip(objs, related, strict=True):
            obj.search_document, obj.search_names, weighted = self.search_columns(obj, records)
            texts.append(weighted)
        self.writer.write(model, objs, texts)

    # -- text --------------------------------------------------------------

    def description(self, place, sector, category, what):
        picked = self.rng.sample(SENTENCES, self.rng.randint(3, 5))
        text = " ".join(s.format(place=place, sector=sector, category=category) for s in picked)
        return f"{text} {MARKER} Generated for load testing; not a real {what}."

    def date_with_precision(self, start=2010, end=2028):
        day = datetime.date(start, 1, 1) + datetime.timedelta(
            days=self.rng.randrange((datetime.date(end, 12, 31) - datetime.date(start, 1, 1)).days)
        )
        roll = self.rng.random()
        if roll < 0.6:
            return day, DatePrecision.DAY
        if roll < 0.85:
            return day.replace(day=1), DatePrecision.MONTH
        return day.replace(month=1, day=1), DatePrecision.YEAR

    def _publishable(self, obj, n, kind):
        obj.status = _weighted_status(self.rng)
        obj.seed_key = f"{SEED_PREFIX}{kind}:{n}"
        return obj

    # -- organisations -----------------------------------------------------

    def _organisation(self, n):
        kind = self.rng.choices(list(ORG_SUFFIXES), ORG_KIND_WEIGHTS)[0]
        place, place_zh = self.names.codename()
        suffix = self.rng.choice(ORG_SUFFIXES[kind])
        sector_name = self.rng.choice(self.sectors)[1]
        name = f"{place} {sector_name} {suffix}"
        obj = Organisation(
            name=name,
            short_name="".join(w[0] for w in name.split() if w[0].isupper())[:8],
            slug=f"{_slug(name)}-{n}",
            kind=kind,
            region_id=self.rng.choice(self.city_ids),
            website=f"https://example.org/synthetic/{n}",
            description=self.description(
                place, sector_name, self.rng.choice(self.categories)[1], "organisation"
            ),
        )
        if self.has_zh:
            obj.name_zh_hans = f"{place_zh}{suffix}"
        return self._publishable(obj, n, "organisation")

    def create_organisations(self):
        self.organisations = {}
        for start in range(0, self.counts.organisations, BATCH_SIZE):
            end = min(start + BATCH_SIZE, self.counts.organisations)
            batch = [self._organisation(n) for n in range(start, end)]
            self.writer.reserve_ids(Organisation, batch)
            links, related = [], []
            for obj in batch:
                picked = self.rng.sample(self.sectors, self.rng.randint(1, 3))
                sectors = self._sectors_by_name(pk for pk, _name in picked)
                links += [(obj.pk, s.pk) for s in sectors]
                # No parent: synthetic organisations stand alone.
                related.append([self.regions[obj.region_id], *sectors])
                self.organisations[obj.pk] = obj
            self.write_public(Organisation, batch, related)
            self.writer.write_links(Organisation.sectors.through, links)
        self.organisation_ids = list(self.organisations)
        self.writer.completed(Organisation, Organisation.sectors.through)
        self.organisation_order = self.writer.collation_ranks(
            o.name for o in self.organisations.values()
        )
        self.role_order = self.writer.collation_ranks(
            [*ProgrammeOrganisation.Role.values, *EventOrganisation.Role.values]
        )
        self.log(f"  {len(self.organisations)} organisations")

    # -- programmes --------------------------------------------------------

    def _programme(self, n):
        place = self.rng.choice(self.place_names).split()[0]
        sector = self.rng.choice(self.sectors)[1]
        noun = self.rng.choice(PROGRAMME_NOUNS)
        codename, codename_zh = self.names.codename()
        kind = self.rng.choice(list(Programme.Kind))
        launch, precision = self.date_with_precision()
        if self.rng.random() < 0.05:
            launch = None
        name = f"{place}–Hong Kong {sector} {noun}"
        obj = Programme(
            name=name[:300],
            short_name=codename,
            alternative_names=f"{codename} Plan",
            slug=f"{_slug(name)}-{n}",
            kind=kind,
            summary=(
                f"Helps {sector.lower()} {COMMON_TERM} from {place} expand abroad "
                f"through Hong Kong, with advice, partners and financing."
            ),
            description=self.description(
                place, sector.lower(), self.rng.choice(self.categories)[1].lower(), "programme"
            ),
            launch_date=launch,
            launch_precision=precision,
            lifecycle=self.rng.choice(list(Programme.LifecycleStatus)),
            website=f"https://example.org/synthetic/programme/{n}",
            how_to_get_involved="Apply through the synthetic portal. " + MARKER,
        )
        if self.has_zh:
            obj.name_zh_hans = f"{codename_zh}出海计划"
        return self._publishable(obj, n, "programme")

    def create_programmes(self):
        """Programmes and their relations. The programme rows themselves are
        written by `write_programmes`, once their services exist: a programme's
        search text names its services' categories."""
        roles = list(ProgrammeOrganisation.Role)
        self.programmes = {}
        self.programme_relations = {}
        self.series_ids = []
        for start in range(0, self.counts.programmes, BATCH_SIZE):
            end = min(start + BATCH_SIZE, self.counts.programmes)
            batch = [self._programme(n) for n in range(start, end)]
            self.writer.reserve_ids(Programme, batch)
            roles_rows, region_rows, sector_rows = [], [], []
            for obj in batch:
                self.programmes[obj.pk] = obj
                if obj.kind == Programme.Kind.EVENT_SERIES:
                    self.series_ids.append(obj.pk)
                orgs = self.rng.sample(
                    self.organisation_ids, min(len(self.organisation_ids), self.rng.randint(1, 4))
                )
                own_roles = [
                    (org_id, ProgrammeOrganisation.Role.LEAD if i == 0 else self.rng.choice(roles))
                    for i, org_id in enumerate(orgs)
                ]
                regions = self._regions_by_name(
                    self.rng.sample(self.region_ids, self.rng.randint(1, 3))
                )
                picked = self.rng.sample(self.sectors, self.rng.randint(1, 3))
                sectors = self._sectors_by_name(pk for pk, _name in picked)
                roles_rows += [(obj.pk, org_id, role) for org_id, role in own_roles]
                region_rows += [(obj.pk, r.pk) for r in regions]
                sector_rows += [(obj.pk, s.pk) for s in sectors]
                self.programme_relations[obj.pk] = (own_roles, regions, sectors, [])
            self.writer.write_links(ProgrammeOrganisation, roles_rows)
            self.writer.write_links(Programme.regions.through, region_rows)
            self.writer.write_links(Programme.sectors.through, sector_rows)
        self.programme_ids = list(self.programmes)
        self.writer.completed(
            ProgrammeOrganisation, Programme.regions.through, Programme.sectors.through
        )
        self.programme_order = self.writer.collation_ranks(p.name for p in self.programmes.values())

    def write_programmes(self):
        service_order = self.writer.collation_ranks(
            service.name
            for _roles, _regions, _sectors, services in self.programme_relations.values()
            for service in services
        )
        ids = self.programme_ids
        for start in range(0, len(ids), BATCH_SIZE):
            batch, related = [], []
            for pk in ids[start : start + BATCH_SIZE]:
                roles, regions, sectors, services = self.programme_relations[pk]
                services = sorted(services, key=lambda s: service_order[s.name])
                batch.append(self.programmes[pk])
                related.append(
                    [
                        *self._role_organisations(roles),
                        *regions,
                        *sectors,
                        *(self.category_by_id[s.category_id] for s in services),
                    ]
                )
            self.write_public(Programme, batch, related)
        self.writer.completed(Programme)
        self.log(f"  {len(ids)} programmes")

    # -- services ----------------------------------------------------------

    def _service(self, n):
        category_id, category = self.rng.choice(self.categories)
        place = self.rng.choice(self.place_names).split()[0]
        name = f"{category} for {place} enterprises"
        programme_id = self.rng.choice(self.programme_ids) if self.rng.random() < 0.8 else None
        obj = Service(
            name=name,
            slug=f"{_slug(name)}-{n}",
            programme_id=programme_id,
            provider_id=self.rng.choice(self.organisation_ids),
            category_id=category_id,
            audience=self.rng.choice(AUDIENCES),
            description=self.description(
                place, self.rng.choice(self.sectors)[1].lower(), category.lower(), "service"
            ),
        )
        if self.has_zh:
            obj.name_zh_hans = f"{place}企业服务"
        return self._publishable(obj, n, "service")

    def _service_related(self, service):
        provider = self.organisations[service.provider_id]
        programme = self.programmes.get(service.programme_id)
        related = [provider, programme, self.category_by_id[service.category_id]]
        related.append(self.regions.get(provider.region_id))
        if programme is not None:
            related += self.programme_relations[programme.pk][1]
        return related

    def create_services(self):
        created = 0
        for start in range(0, self.counts.services, BATCH_SIZE):
            end = min(start + BATCH_SIZE, self.counts.services)
            batch = [self._service(n) for n in range(start, end)]
            self.writer.reserve_ids(Service, batch)
            for service in batch:
                if service.programme_id is not None:
                    self.programme_relations[service.programme_id][3].append(service)
            self.write_public(Service, batch, [self._service_related(s) for s in batch])
            created += len(batch)
        self.writer.completed(Service)
        self.log(f"  {created} services")

    # -- events ------------------------------------------------------------

    def _event(self, n, parent=None):
        place = self.rng.choice(self.place_names).split()[0]
        sector = self.rng.choice(self.sectors)[1]
        if parent is None:
            noun = self.rng.choice(EVENT_NOUNS)
            year = self.rng.randint(2010, 2028)
            name = f"{year} {place} {sector} {noun}"
            start, precision = self.date_with_precision()
            end = start + datetime.timedelta(days=self.rng.choice([0, 0, 1, 2, 3]))
            kind = self.rng.choice([k for k in Event.Kind if k != Event.Kind.SESSION])
        else:
            name = f"{parent.name}: {sector} session"
            start, precision, end = parent.start_date, parent.start_precision, parent.start_date
            kind = Event.Kind.SESSION
        obj = Event(
            name=name[:400],
            slug=f"{_slug(name)}-{n}",
            kind=kind,
            series_id=(
                self.rng.choice(self.series_ids)
                if parent is None and self.series_ids and self.rng.random() < 0.3
                else None
            ),
            edition=f"{start.year} edition" if start else "",
            part_of_id=parent.pk if parent is not None else None,
            summary=f"A {sector.lower()} event for {COMMON_TERM} going global from {place}.",
            description=self.description(
                place, sector.lower(), self.rng.choice(self.categories)[1].lower(), "event"
            ),
            start_date=start,
            start_precision=precision,
            end_date=end,
            end_precision=precision,
            venue=f"{place} Convention Centre",
            city_id=self.rng.choice(self.city_ids),
            attendance=self.rng.choice([None, self.rng.randint(20, 30000)]),
        )
        if self.has_zh:
            obj.name_zh_hans = f"{place}论坛"
        return self._publishable(obj, n, "event")

    def _event_related(self, event, roles=(), region_ids=(), sector_ids=(), programme_ids=()):
        programmes = sorted(
            (self.programmes[pk] for pk in programme_ids),
            key=lambda p: self.programme_order[p.name],
        )
        return [
            *self._role_organisations(roles),
            self.programmes.get(event.series_id),
            self.events.get(event.part_of_id),
            self.regions.get(event.city_id),
            *self._regions_by_name(region_ids),
            *self._sectors_by_name(sector_ids),
            *programmes,
        ]

    def create_events(self):
        # About one event in ten is split into sessions; sessions count towards the total.
        sessions_total = self.counts.events // 8
        main_total = self.counts.events - sessions_total
        roles = list(EventOrganisation.Role)
        self.events = {}
        for start in range(0, main_total, BATCH_SIZE):
            batch = [self._event(n) for n in range(start, min(start + BATCH_SIZE, main_total))]
            self.writer.reserve_ids(Event, batch)
            roles_rows, region_rows, sector_rows, programme_rows, related = [], [], [], [], []
            for obj in batch:
                self.events[obj.pk] = obj
                orgs = self.rng.sample(
                    self.organisation_ids, min(len(self.organisation_ids), self.rng.randint(1, 3))
                )
                own_roles = [
                    (org_id, EventOrganisation.Role.ORGANISER if i == 0 else self.rng.choice(roles))
                    for i, org_id in enumerate(orgs)
                ]
                region_ids = self.rng.sample(self.region_ids, self.rng.randint(0, 2))
                sector_ids = [
                    pk for pk, _n in self.rng.sample(self.sectors, self.rng.randint(0, 2))
                ]
                programme_ids = self.rng.sample(
                    self.programme_ids, min(len(self.programme_ids), self.rng.randint(0, 2))
                )
                roles_rows += [(obj.pk, org_id, role) for org_id, role in own_roles]
                region_rows += [(obj.pk, pk) for pk in region_ids]
                sector_rows += [(obj.pk, pk) for pk in sector_ids]
                programme_rows += [(obj.pk, pk) for pk in programme_ids]
                related.append(
                    self._event_related(obj, own_roles, region_ids, sector_ids, programme_ids)
                )
            self.write_public(Event, batch, related)
            self.writer.write_links(EventOrganisation, roles_rows)
            self.writer.write_links(Event.regions.through, region_rows)
            self.writer.write_links(Event.sectors.through, sector_rows)
            self.writer.write_links(Event.programmes.through, programme_rows)

        sessions = []
        parents = [e for e in self.events.values() if e.start_date] or list(self.events.values())
        n = main_total
        while len(sessions) < sessions_total and parents:
            parent = self.rng.choice(parents)
            for _s in range(min(self.rng.randint(2, 4), sessions_total - len(sessions))):
                sessions.append(self._event(n, parent=parent))
                n += 1
        for start in range(0, len(sessions), BATCH_SIZE):
            batch = sessions[start : start + BATCH_SIZE]
            self.writer.reserve_ids(Event, batch)
            self.write_public(Event, batch, [self._event_related(s) for s in batch])
        self.writer.completed(
            Event,
            EventOrganisation,
            Event.regions.through,
            Event.sectors.through,
            Event.programmes.through,
        )
        self.log(f"  {len(self.events) + len(sessions)} events ({len(sessions)} sessions)")

    # -- sources -----------------------------------------------------------

    def create_articles(self):
        """A few synthetic articles for programmes to cite, so detail pages
        render citations as they do for real records."""
        articles = []
        for n in range(max(1, self.counts.programmes // 2000)):
            sentences = [
                s.format(
                    place=self.rng.choice(self.place_names), sector="technology", category="advice"
                )
                for s in SENTENCES
            ]
            text = f"{MARKER} " + " ".join(sentences)
            published, precision = self.date_with_precision(2015, 2026)
            articles.append(
                SourceArticle(
                    slug=f"synthetic-article-{n}",
                    title=f"Synthetic news article {n}",
                    publisher="Synthetic News Service",
                    published_on=published,
                    published_precision=precision,
                    raw_text=text,
                    cleaned_text=text,
                    seed_key=f"{SEED_PREFIX}article:{n}",
                    status="published",
                )
            )
        SourceArticle.objects.bulk_create(articles)
        self.articles = articles
        self.programme_type = ContentType.objects.get_for_model(Programme)

    def create_citations(self):
        citations = []
        for programme_id in self.programme_ids:
            if self.rng.random() < 0.3:
                article = self.rng.choice(self.articles)
                quote = article.cleaned_text.split(". ")[1].rstrip(".")
                citations.append(
                    Citation(
                        article=article,
                        quote=quote,
                        supports="synthetic",
                        content_type=self.programme_type,
                        object_id=programme_id,
                    )
                )
        for start in range(0, len(citations), BATCH_SIZE):
            self.writer.write(Citation, citations[start : start + BATCH_SIZE])
        self.writer.completed(Citation)
        self.log(f"  {len(self.articles)} source articles, {len(citations)} citations")

    def run(self):
        # No django-simple-history rows, on purpose: synthetic records have no
        # editorial history worth keeping, and skipping it is what makes 100,000
        # programmes load in minutes.
        with transaction.atomic():
            self._timed(self.ensure_regions)
            self._timed(self.ensure_taxonomies)
            self._timed(self.create_articles)
            with self.writer:
                self._timed(self.create_organisations)
                self._timed(self.create_programmes)
                self._timed(self.create_services)
                self._timed(self.write_programmes)
                self._timed(self.create_events)
                self._timed(self.create_citations)
                database_timings = self._timed(self.writer.finish)
            # Bulk writes send no signals: the facet counts are built once, at the end.
            self._timed(self.build_facet_counts)
        self._timed(self.vacuum)
        for what, seconds in database_timings.items():
            self.log(f"    {what}: {seconds:.1f} s")
        return self.counts

    def build_facet_counts(self):
        facets.rebuild()

    def vacuum(self):
        # The facet counts are index-only scans, which skip the table only on
        # pages the visibility map marks all-visible; VACUUM sets it. Left to
        # autovacuum (when it is on at all), a benchmark run straight after the
        # load would read 3 million rows' pages, and the home page's earliest
        # upcoming event (the events' last-day index) 4,555 rows' pages. VACUUM
        # cannot run inside a transaction, so inside one (the tests) this is skipped.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            tables = [m._meta.db_table for m in (FacetEntry, *PUBLIC_MODELS)]
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")

    def _timed(self, step):
        started = time.monotonic()
        result = step()
        self.log(f"  ({step.__name__}: {time.monotonic() - started:.1f} s)")
        return result


def collation_ranks(values):
    """{value: position} in the database's sort order, so that lists built here
    come out in the order an `ORDER BY name` gives the per-record refresh."""
    values = sorted(set(values))
    if connection.vendor != "postgresql":
        # SQLite compares text byte by byte, which is Python's order.
        return {value: i for i, value in enumerate(values)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM unnest(%s::text[]) AS v ORDER BY v", [values])
        return {value: i for i, (value,) in enumerate(cursor.fetchall())}


# --- search columns -----------------------------------------------------------


class SearchColumns:
    """`search_document`, `search_names` and the four texts weighted A-D, as
    `directory.search.refresh_search_index` computes them for a record, from
    its related records (in the order that function reads them).

    Each related record's part (its names, indexed, and their words) is
    computed once: an organisation is named by every programme it runs."""

    def __init__(self):
        self.related_parts = {}

    def __call__(self, record, related):
        summary = documents._all_languages(record, "summary")
        if isinstance(record, Service):
            summary = " ".join(p for p in (summary, record.audience) if p)
        pieces = [
            _indexed(documents._names(record)),
            _indexed(summary),
            _indexed(documents._all_languages(record, "description")),
            # `_names(*related)`: the related records' names in turn.
            _joined(self._related_part(r) for r in related if r is not None),
        ]
        parts = [text for text, _words in pieces]
        if any(words is None for _text, words in pieces):
            # An apostrophe: `normalise` adds spellings without, over the whole text.
            document, names = search.normalise(" ".join(parts)), search.names_text(parts[0])
        else:
            document = _normalised([word for _text, words in pieces for word in words])
            names = _normalised(pieces[0][1])
        # As `search.documents._vector_text`: apostrophe-free spellings beside the originals.
        texts = [
            f"{text} {search.normalise(text)}" if "'" in text or "’" in text else text
            for text in parts
        ]
        return document, names, texts

    def _related_part(self, record):
        key = (type(record), record.pk)
        if key not in self.related_parts:
            self.related_parts[key] = _indexed(documents._names(record))
        return self.related_parts[key]


def _joined(pieces):
    """Indexed texts and their words, as one text (empty ones left out)."""
    pieces = [(text, words) for text, words in pieces if text]
    text = " ".join(text for text, _words in pieces)
    if any(words is None for _text, words in pieces):
        return text, None
    return text, [word for _text, words in pieces for word in words]


def _normalised(words):
    """`search.normalise`'s result for these words."""
    text = " ".join(words)
    return f" {text} " if text else ""


# Byte table for ASCII text: characters that are not word characters (\w)
# become spaces. (Only ASCII text goes through it.)
_ASCII_WORDS = bytes(
    c if c > 127 or chr(c).isalnum() or c == ord("_") else ord(" ") for c in range(256)
)


def _indexed(text):
    """`text` as indexed (`search.index_text`) and its words as
    `search.normalise` splits them, or None for the words when it holds an
    apostrophe (normalise then adds spellings without, so the caller uses it).

    Computing words per part lets the document reuse related records' words;
    and a part in plain ASCII (most texts) splits several times faster by a
    byte table than by the Unicode pattern. Most of the time the load spent
    on search text went into these splits."""
    # `index_text` only rewrites Chinese runs, so ASCII text is already indexed.
    text = text if text.isascii() else search.index_text(text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    if search_text._APOSTROPHES.search(folded):
        return text, None
    if folded.isascii():
        return text, folded.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return text, search_text._NON_WORD.sub(" ", folded).split()


# --- writers ------------------------------------------------------------------


def link_columns(model):
    """The columns of a link table's rows as the generator builds them: the
    two foreign keys (owner first), then the role where there is one."""
    columns = [f.column for f in model._meta.concrete_fields if f.is_relation]
    return [*columns, "role"] if _has_field(model, "role") else columns


class OrmWriter:
    """Any database, through `bulk_create`: the small sets the tests load on SQLite."""

    def __init__(self, counts):
        self.next_ids = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def reserve_ids(self, model, objs):
        # Ids are chosen before writing, as on PostgreSQL, so that programmes
        # can be written after the services that point at them.
        if model not in self.next_ids:
            top = model.objects.aggregate(top=Max("pk"))["top"] or 0
            self.next_ids[model] = top + 1
        for obj in objs:
            obj.pk = self.next_ids[model]
            self.next_ids[model] += 1

    def write(self, model, objs, texts=None):
        # SQLite has no search vector: the weighted texts are not needed.
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)

    def write_links(self, model, rows):
        columns = link_columns(model)
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)

    def collation_ranks(self, values):
        return collation_ranks(values)

    def completed(self, *models):
        pass

    def finish(self):
        return {}


# Every table the load writes with COPY.
LOADED_MODELS = (
    Organisation,
    Organisation.sectors.through,
    Programme,
    ProgrammeOrganisation,
    Programme.regions.through,
    Programme.sectors.through,
    Service,
    Event,
    EventOrganisation,
    Event.regions.through,
    Event.sectors.through,
    Event.programmes.through,
    Citation,
)

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value):
    """One value in COPY's text format."""
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return _copy_value(json.dumps(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _copy_lines(rows):
    return ["\t".join(map(_copy_value, row)) for row in rows]


# Batches queued ahead of each database thread at most: bounds memory.
QUEUE_LENGTH = 4


def _settle(futures):
    """Takes finished work off the queue, raising its error if it failed, and
    waits while the queue is full."""
    while len(futures) > QUEUE_LENGTH or (futures and futures[0].done()):
        futures.popleft().result()


class CopyWriter:
    """PostgreSQL: rows go in with COPY, into tables stripped of their
    secondary indexes and foreign keys, which are rebuilt once each table is
    complete, as the PostgreSQL manual advises for a bulk load.

    Work is shared by three threads, so that both cores stay busy: this one
    generates the records; a second has a second connection compute the
    search vectors (`to_tsvector` is most of the database's work, and it
    needs nothing from the transaction); a third runs COPY, with those
    vectors, and the index builds on the transaction's connection. Work
    passes through the two in the order it was queued, and only the third
    touches the transaction's connection between `__enter__` and `__exit__`."""

    VECTOR_COLUMN = "search_vector"

    def __init__(self, counts):
        self.now = timezone.now()
        self.id_blocks = {
            Organisation: counts.organisations,
            Programme: counts.programmes,
            Service: counts.services,
            Event: counts.events,
        }
        self.next_ids = {}
        self.dropped_indexes = {}
        self.dropped_foreign_keys = []
        self.timings = {}
        self.pending = collections.deque()
        self.copies = collections.deque()
        self.vector_sql = (
            "SELECT ("
            + " || ".join(
                f"setweight(to_tsvector('{search.SEARCH_CONFIG}'::regconfig, {part}), '{weight}')"
                for part, weight in zip("abcd", "ABCD", strict=True)
            )
            + ")::text FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
            "WITH ORDINALITY AS t(a, b, c, d, n) ORDER BY n"
        )

    # -- the threads -------------------------------------------------------

    def __enter__(self):
        self._prepare()
        self.raw = connection.connection
        self.vector_connection = connection.get_new_connection(connection.get_connection_params())
        self.vector_connection.autocommit = True
        with self.vector_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        self.vector_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.copy_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        return self

    def __exit__(self, exc_type, *exc_info):
        if exc_type is not None:
            for future in self.pending:
                future.cancel()
        self.vector_thread.shutdown(wait=True)
        if exc_type is not None:
            for future in self.copies:
                future.cancel()
        # Waits for the running statement: the transaction is rolled back or
        # committed only once the thread has let go of the connection.
        self.copy_thread.shutdown(wait=True)
        self.vector_connection.close()
        return False

    def _submit(self, what, function, *args, texts=None):
        """Queues database work, after computing the search vectors of
        `texts` when given; waits when the queue is full, and raises the
        error of any earlier work that failed."""
        future = self.vector_thread.submit(self._forward, what, function, args, texts)
        self.pending.append(future)
        started = time.monotonic()
        _settle(self.pending)
        self._add_time("(generator waiting for the database)", started)
        return future

    def _wait(self, what, function, *args):
        """Runs database work after all queued work, and returns its result."""
        future = self._submit(what, function, *args)
        started = time.monotonic()
        while self.pending:
            self.pending.popleft().result()
        result = future.result().result()
        while self.copies:
            self.copies.popleft().result()
        self._add_time("(generator waiting for the database)", started)
        return result

    def _forward(self, what, function, args, texts):
        """On the vector thread: the vectors, then the statement queued for the
        copy thread."""
        if texts is not None:
            started = time.monotonic()
            args = (*args, self._vectors(texts))
            self._add_time("search vectors, on the second connection", started)
        future = self.copy_thread.submit(self._timed, what, function, *args)
        self.copies.append(future)
        _settle(self.copies)
        return future

    def _vectors(self, texts):
        """`search_vector` as text for each record's four weighted texts."""
        with self.vector_connection.cursor() as cursor:
            cursor.execute(self.vector_sql, [list(part) for part in zip(*texts, strict=True)])
            return [vector for (vector,) in cursor.fetchall()]

    def _timed(self, what, function, *args):
        started = time.monotonic()
        with self.raw.cursor() as cursor:
            result = function(cursor, *args)
        self._add_time(what, started)
        return result

    def _add_time(self, what, started):
        self.timings[what] = self.timings.get(what, 0) + time.monotonic() - started

    # -- before the load -----------------------------------------------------

    def _prepare(self):
        tables = [model._meta.db_table for model in LOADED_MODELS]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL jit = off")
            # lz4 compresses the long texts several times faster than pglz.
            cursor.execute(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            )
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
            # Checks still pending (regions written above) would stop ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, "
                "pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [tables],
            )
            for table, name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                self.dropped_indexes.setdefault(table, []).append(definition)
            cursor.execute(
                "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [tables],
            )
            self.dropped_foreign_keys = cursor.fetchall()
            for table, name, _definition in self.dropped_foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            # Under the C collation the database sorts text as Python does.
            cursor.execute(
                "SELECT to_jsonb(d) ->> 'datcollate', to_jsonb(d) ->> 'datlocprovider' "
                "FROM pg_database d WHERE datname = current_database()"
            )
            collation, provider = cursor.fetchone()
            self.sorts_bytewise = collation in ("C", "POSIX", "C.UTF-8", "C.utf8") and (
                provider in (None, "c")
            )
            for model, count in self.id_blocks.items():
                self.next_ids[model] = self._reserve_id_block(cursor, model, count)

    @staticmethod
    def _reserve_id_block(cursor, model, count):
        """The first of `count` consecutive ids, taken from the table's sequence
        at once so that the generator can number rows without asking."""
        sequence = f"pg_get_serial_sequence('{model._meta.db_table}', '{model._meta.pk.column}')"
        cursor.execute(f"SELECT nextval({sequence})")
        (first,) = cursor.fetchone()
        cursor.execute(f"SELECT setval({sequence}, %s)", [first + count - 1])
        return first

    # -- during the load -----------------------------------------------------

    def reserve_ids(self, model, objs):
        first = self.next_ids[model]
        self.next_ids[model] += len(objs)
        self.id_blocks[model] -= len(objs)
        if self.id_blocks[model] < 0:
            raise RuntimeError(f"More {model._meta.verbose_name_plural} than ids reserved.")
        for pk, obj in enumerate(objs, start=first):
            obj.pk = pk

    def collation_ranks(self, values):
        """{value: position} in the database's sort order."""
        if self.sorts_bytewise:
            # Python's order; no need to stop the pipeline to ask.
            return {value: i for i, value in enumerate(sorted(set(values)))}
        values = sorted(set(values))
        rows = self._wait(
            "sorting names",
            lambda cursor: (
                cursor.execute("SELECT v FROM unnest(%s::text[]) AS v ORDER BY v", [values]),
                cursor.fetchall(),
            )[1],
        )
        return {value: i for i, (value,) in enumerate(rows)}

    def write(self, model, objs, texts=None):
        """COPY `objs`, with search vectors computed from `texts` (each
        record's four weighted search texts) when given."""
        if not objs:
            return
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.column != self.VECTOR_COLUMN and (objs[0].pk is not None or not f.primary_key)
        ]
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                for obj in objs:
                    setattr(obj, f.attname, self.now)
        columns = [f.column for f in fields]
        lines = _copy_lines(map(operator.attrgetter(*(f.attname for f in fields)), objs))
        table = model._meta.db_table
        if texts is None:
            self._submit(f"copy {table}", self._copy, table, columns, lines)
        else:
            columns.append(self.VECTOR_COLUMN)
            what = f"copy {table}"
            self._submit(what, self._copy_with_vectors, table, columns, lines, texts=texts)

    def write_links(self, model, rows):
        table = model._meta.db_table
        self._submit(f"copy {table}", self._copy, table, link_columns(model), _copy_lines(rows))

    def completed(self, *models):
        """Every row of these tables is written: rebuild their indexes and
        gather their statistics (so the planner sees their new size at once)
        now, while the generator goes on with the next tables."""
        for model in models:
            table = model._meta.db_table
            self._submit(f"indexes of {table}", self._restore_indexes, table)
            self._submit("statistics", self._analyse, [table])

    def finish(self):
        self._submit("foreign keys", self._restore_foreign_keys)
        self._submit("name words", self._add_name_words)
        # The reference tables the load may have added to.
        tables = [
            m._meta.db_table for m in (Region, Sector, ServiceCategory, SourceArticle, NameWord)
        ]
        self._wait("statistics", self._analyse, tables)
        return self.timings

    # -- statements, run on the database thread ------------------------------

    @staticmethod
    def _copy(cursor, table, columns, lines):
        text = "".join(line + "\n" for line in lines)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))

    def _copy_with_vectors(self, cursor, table, columns, lines, vectors):
        lines = [f"{line}\t{_copy_value(v)}" for line, v in zip(lines, vectors, strict=True)]
        self._copy(cursor, table, columns, lines)

    def _restore_indexes(self, cursor, table):
        for definition in self.dropped_indexes.pop(table, []):
            cursor.execute(definition)

    def _restore_foreign_keys(self, cursor):
        for table, name, definition in self.dropped_foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

    @staticmethod
    def _add_name_words(cursor):
        tables = [model._meta.db_table for model in (Organisation, Programme, Service, Event)]
        cursor.execute(search.name_words_from_tables_sql(tables))

    @staticmethod
    def _analyse(cursor, tables):
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def generate(programmes, seed=1, stdout=None):
    check_target_database()
    return Generator(programmes, seed=seed, stdout=stdout).run()

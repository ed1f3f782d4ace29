"""Synthetic records for load tests: realistic shapes and sizes, nothing real.

`generate(programmes=N)` writes N programmes and, scaled from N, organisations
(N/5), events (N/2) and services (2N) with their relations, in bulk. Every
record it writes carries `seed_key="synthetic:…"` and the visible marker
"[Synthetic record]" in its description, so it can never pass for a real one.

Only meant for a database of its own (see README: a separate DATABASE_URL);
`check_target_database` refuses one that holds real published records.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.text import slugify

from directory import search
from directory.models import (
    Citation,
    DatePrecision,
    Organisation,
    PublicationStatus,
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
)
from programmes.models import (
    Event,
    EventOrganisation,
    Programme,
    ProgrammeOrganisation,
    Service,
)

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
    def __init__(self, programmes, seed=1, stdout=None):
        self.counts = Counts.scaled(programmes)
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.stdout = stdout
        self.has_zh = _has_field(Programme, "name_zh_hans")

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # -- reference data ----------------------------------------------------

    def ensure_regions(self):
        """Uses the regions present; builds a synthetic tree when there are few."""
        if Region.objects.count() < 30:
            self._build_region_tree(provinces=max(3, min(31, self.counts.programmes // 500)))
        regions = list(Region.objects.values_list("pk", "kind", "name"))
        self.region_ids = [pk for pk, _k, _n in regions]
        self.city_ids = [pk for pk, kind, _n in regions if kind == Region.Kind.CITY] or list(
            self.region_ids
        )
        self.place_names = [name for _pk, _k, name in regions]

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
        self.sectors = list(Sector.objects.values_list("pk", "name"))
        self.categories = list(ServiceCategory.objects.values_list("pk", "name"))

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

    # -- records -----------------------------------------------------------

    def create_organisations(self):
        kinds = list(ORG_SUFFIXES)
        weights = [2, 2, 1, 8, 6, 5, 40, 6, 3]
        ids = []
        org_sectors = []
        through = Organisation.sectors.through
        for start in range(0, self.counts.organisations, BATCH_SIZE):
            batch = []
            for n in range(start, min(start + BATCH_SIZE, self.counts.organisations)):
                kind = self.rng.choices(kinds, weights)[0]
                place, place_zh = self.names.codename()
                suffix = self.rng.choice(ORG_SUFFIXES[kind])
                sector_name = self.rng.choice(self.sectors)[1]
                name = f"{place} {sector_name} {suffix}"
                obj = Organisation(
                    name=name,
                    short_name="".join(w[0] for w in name.split() if w[0].isupper())[:8],
                    slug=f"{slugify(name)[:150]}-{n}",
                    kind=kind,
                    region_id=self.rng.choice(self.city_ids),
                    website=f"https://example.org/synthetic/{n}",
                    description=self.description(
                        place, sector_name, self.rng.choice(self.categories)[1], "organisation"
                    ),
                )
                if self.has_zh:
                    obj.name_zh_hans = f"{place_zh}{suffix}"
                batch.append(self._publishable(obj, n, "organisation"))
            Organisation.objects.bulk_create(batch)
            for obj in batch:
                ids.append(obj.pk)
                for sector_id, _name in self.rng.sample(self.sectors, self.rng.randint(1, 3)):
                    org_sectors.append(through(organisation_id=obj.pk, sector_id=sector_id))
        through.objects.bulk_create(org_sectors, batch_size=BATCH_SIZE)
        self.organisation_ids = ids
        self.log(f"  {len(ids)} organisations")

    def create_programmes(self):
        kinds = list(Programme.Kind)
        roles = list(ProgrammeOrganisation.Role)
        self.programme_ids = []
        self.series_ids = []
        region_through = Programme.regions.through
        sector_through = Programme.sectors.through
        for start in range(0, self.counts.programmes, BATCH_SIZE):
            batch = []
            for n in range(start, min(start + BATCH_SIZE, self.counts.programmes)):
                place = self.rng.choice(self.place_names).split()[0]
                sector = self.rng.choice(self.sectors)[1]
                noun = self.rng.choice(PROGRAMME_NOUNS)
                codename, codename_zh = self.names.codename()
                kind = self.rng.choice(kinds)
                launch, precision = self.date_with_precision()
                if self.rng.random() < 0.05:
                    launch = None
                name = f"{place}–Hong Kong {sector} {noun}"
                obj = Programme(
                    name=name[:300],
                    short_name=codename,
                    alternative_names=f"{codename} Plan",
                    slug=f"{slugify(name)[:150]}-{n}",
                    kind=kind,
                    summary=(
                        f"Helps {sector.lower()} {COMMON_TERM} from {place} expand abroad "
                        f"through Hong Kong, with advice, partners and financing."
                    ),
                    description=self.description(
                        place,
                        sector.lower(),
                        self.rng.choice(self.categories)[1].lower(),
                        "programme",
                    ),
                    launch_date=launch,
                    launch_precision=precision,
                    lifecycle=self.rng.choice(list(Programme.LifecycleStatus)),
                    website=f"https://example.org/synthetic/programme/{n}",
                    how_to_get_involved="Apply through the synthetic portal. " + MARKER,
                )
                if self.has_zh:
                    obj.name_zh_hans = f"{codename_zh}出海计划"
                batch.append(self._publishable(obj, n, "programme"))
            Programme.objects.bulk_create(batch)

            roles_rows, region_rows, sector_rows = [], [], []
            for obj in batch:
                self.programme_ids.append(obj.pk)
                if obj.kind == Programme.Kind.EVENT_SERIES:
                    self.series_ids.append(obj.pk)
                orgs = self.rng.sample(
                    self.organisation_ids, min(len(self.organisation_ids), self.rng.randint(1, 4))
                )
                for i, org_id in enumerate(orgs):
                    role = ProgrammeOrganisation.Role.LEAD if i == 0 else self.rng.choice(roles)
                    roles_rows.append(
                        ProgrammeOrganisation(
                            programme_id=obj.pk, organisation_id=org_id, role=role
                        )
                    )
                for region_id in self.rng.sample(self.region_ids, self.rng.randint(1, 3)):
                    region_rows.append(region_through(programme_id=obj.pk, region_id=region_id))
                for sector_id, _n in self.rng.sample(self.sectors, self.rng.randint(1, 3)):
                    sector_rows.append(sector_through(programme_id=obj.pk, sector_id=sector_id))
            ProgrammeOrganisation.objects.bulk_create(roles_rows, batch_size=BATCH_SIZE)
            region_through.objects.bulk_create(region_rows, batch_size=BATCH_SIZE)
            sector_through.objects.bulk_create(sector_rows, batch_size=BATCH_SIZE)
        self.log(f"  {len(self.programme_ids)} programmes")

    def create_services(self):
        created = 0
        for start in range(0, self.counts.services, BATCH_SIZE):
            batch = []
            for n in range(start, min(start + BATCH_SIZE, self.counts.services)):
                category_id, category = self.rng.choice(self.categories)
                place = self.rng.choice(self.place_names).split()[0]
                name = f"{category} for {place} enterprises"
                programme_id = (
                    self.rng.choice(self.programme_ids) if self.rng.random() < 0.8 else None
                )
                obj = Service(
                    name=name,
                    slug=f"{slugify(name)[:150]}-{n}",
                    programme_id=programme_id,
                    provider_id=self.rng.choice(self.organisation_ids),
                    category_id=category_id,
                    audience=self.rng.choice(AUDIENCES),
                    description=self.description(
                        place,
                        self.rng.choice(self.sectors)[1].lower(),
                        category.lower(),
                        "service",
                    ),
                )
                if self.has_zh:
                    obj.name_zh_hans = f"{place}企业服务"
                batch.append(self._publishable(obj, n, "service"))
            Service.objects.bulk_create(batch)
            created += len(batch)
        self.log(f"  {created} services")

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
            slug=f"{slugify(name)[:150]}-{n}",
            kind=kind,
            series_id=(
                self.rng.choice(self.series_ids)
                if parent is None and self.series_ids and self.rng.random() < 0.3
                else None
            ),
            edition=f"{start.year} edition" if start else "",
            part_of=parent,
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

    def create_events(self):
        # About one event in ten is split into sessions; sessions count towards the total.
        sessions_total = self.counts.events // 8
        main_total = self.counts.events - sessions_total
        roles = list(EventOrganisation.Role)
        region_through = Event.regions.through
        sector_through = Event.sectors.through
        programme_through = Event.programmes.through
        created = []
        for start in range(0, main_total, BATCH_SIZE):
            batch = [self._event(n) for n in range(start, min(start + BATCH_SIZE, main_total))]
            Event.objects.bulk_create(batch)
            created.extend(batch)
            roles_rows, region_rows, sector_rows, programme_rows = [], [], [], []
            for obj in batch:
                orgs = self.rng.sample(
                    self.organisation_ids, min(len(self.organisation_ids), self.rng.randint(1, 3))
                )
                for i, org_id in enumerate(orgs):
                    role = EventOrganisation.Role.ORGANISER if i == 0 else self.rng.choice(roles)
                    roles_rows.append(
                        EventOrganisation(event_id=obj.pk, organisation_id=org_id, role=role)
                    )
                for region_id in self.rng.sample(self.region_ids, self.rng.randint(0, 2)):
                    region_rows.append(region_through(event_id=obj.pk, region_id=region_id))
                for sector_id, _n in self.rng.sample(self.sectors, self.rng.randint(0, 2)):
                    sector_rows.append(sector_through(event_id=obj.pk, sector_id=sector_id))
                for programme_id in self.rng.sample(
                    self.programme_ids, min(len(self.programme_ids), self.rng.randint(0, 2))
                ):
                    programme_rows.append(
                        programme_through(event_id=obj.pk, programme_id=programme_id)
                    )
            EventOrganisation.objects.bulk_create(roles_rows, batch_size=BATCH_SIZE)
            region_through.objects.bulk_create(region_rows, batch_size=BATCH_SIZE)
            sector_through.objects.bulk_create(sector_rows, batch_size=BATCH_SIZE)
            programme_through.objects.bulk_create(programme_rows, batch_size=BATCH_SIZE)

        sessions = []
        parents = [e for e in created if e.start_date] or created
        n = main_total
        while len(sessions) < sessions_total and parents:
            parent = self.rng.choice(parents)
            for _s in range(min(self.rng.randint(2, 4), sessions_total - len(sessions))):
                sessions.append(self._event(n, parent=parent))
                n += 1
        Event.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
        self.log(f"  {len(created) + len(sessions)} events ({len(sessions)} sessions)")

    def create_sources(self):
        """A few synthetic articles, cited by some programmes, so detail pages
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
                )
            )
        SourceArticle.objects.bulk_create(articles)
        from django.contrib.contenttypes.models import ContentType

        programme_type = ContentType.objects.get_for_model(Programme)
        citations = []
        for programme_id in self.programme_ids:
            if self.rng.random() < 0.3:
                article = self.rng.choice(articles)
                quote = article.cleaned_text.split(". ")[1].rstrip(".")
                citations.append(
                    Citation(
                        article=article,
                        quote=quote,
                        supports="synthetic",
                        content_type=programme_type,
                        object_id=programme_id,
                    )
                )
        Citation.objects.bulk_create(citations, batch_size=BATCH_SIZE)
        self.log(f"  {len(articles)} source articles, {len(citations)} citations")

    def run(self):
        # bulk_create writes no django-simple-history rows, on purpose: synthetic
        # records have no editorial history worth keeping, and skipping it is what
        # makes 100,000 programmes load in minutes.
        steps = [
            self.ensure_regions,
            self.ensure_taxonomies,
            self.create_organisations,
            self.create_programmes,
            self.create_services,
            self.create_events,
            self.create_sources,
            fill_search_columns,
        ]
        with transaction.atomic():
            for step in steps:
                started = time.monotonic()
                step()
                self.log(f"  ({step.__name__}: {time.monotonic() - started:.1f} s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics, so the planner sees the new table sizes at once.
                cursor.execute("ANALYZE")
        return self.counts


def _nonempty_sql(model, alias, fields):
    columns = [f"NULLIF({alias}.{name}, '')" for name in fields if _has_field(model, name)]
    return f"concat_ws(' ', {', '.join(columns)})" if columns else "''"


def _names_sql(model, alias):
    """SQL for `directory.search._names`: the fields it reads, in its order."""
    fields = ("name", "name_zh_hans", "name_zh_hant", "short_name", "alternative_names")
    return _nonempty_sql(model, alias, fields)


def _texts_sql(model, alias, field):
    """SQL for `directory.search._all_languages`."""
    return _nonempty_sql(model, alias, (field, f"{field}_zh_hans", f"{field}_zh_hant"))


def _related_sql(model, alias, join, order=None):
    """Names of the related records `join` reaches, as one string (or NULL),
    in the order the per-record refresh reads them (the models' Meta.ordering),
    so that word positions match too."""
    order = order or f"{alias}.name"
    names = _names_sql(model, alias)
    return f"(SELECT string_agg(NULLIF({names}, ''), ' ' ORDER BY {order}) {join})"


def _weighted_sql():
    """Per table, the (A, B, C, D) parts `directory.search._weighted_parts`
    builds for one record: own names, summary, description, related names."""
    table = lambda model: model._meta.db_table  # noqa: E731
    org, prog, svc, ev = (table(m) for m in (Organisation, Programme, Service, Event))
    region, sector, category = table(Region), table(Sector), table(ServiceCategory)
    prog_regions = table(Programme.regions.through)
    prog_sectors = table(Programme.sectors.through)
    ev_regions, ev_sectors = table(Event.regions.through), table(Event.sectors.through)
    ev_programmes = table(Event.programmes.through)
    org_sectors = table(Organisation.sectors.through)
    prog_roles, ev_roles = table(ProgrammeOrganisation), table(EventOrganisation)

    def related(*parts):
        return "concat_ws(' ', " + ", ".join(f"NULLIF({p}, '')" for p in parts) + ")"

    return {
        Organisation: (
            _names_sql(Organisation, "t"),
            _texts_sql(Organisation, "t", "summary"),
            _texts_sql(Organisation, "t", "description"),
            related(
                _related_sql(Organisation, "p", f"FROM {org} p WHERE p.id = t.parent_id"),
                _related_sql(Region, "r", f"FROM {region} r WHERE r.id = t.region_id"),
                _related_sql(
                    Sector,
                    "s",
                    f"FROM {org_sectors} x JOIN {sector} s ON s.id = x.sector_id "
                    "WHERE x.organisation_id = t.id",
                ),
            ),
        ),
        Programme: (
            _names_sql(Programme, "t"),
            _texts_sql(Programme, "t", "summary"),
            _texts_sql(Programme, "t", "description"),
            related(
                _related_sql(
                    Organisation,
                    "o",
                    f"FROM {prog_roles} x JOIN {org} o ON o.id = x.organisation_id "
                    "WHERE x.programme_id = t.id",
                    order="x.role, o.name",
                ),
                _related_sql(
                    Region,
                    "r",
                    f"FROM {prog_regions} x JOIN {region} r ON r.id = x.region_id "
                    "WHERE x.programme_id = t.id",
                ),
                _related_sql(
                    Sector,
                    "s",
                    f"FROM {prog_sectors} x JOIN {sector} s ON s.id = x.sector_id "
                    "WHERE x.programme_id = t.id",
                ),
                _related_sql(
                    ServiceCategory,
                    "c",
                    f"FROM {svc} x JOIN {category} c ON c.id = x.category_id "
                    "WHERE x.programme_id = t.id",
                    order="x.name",
                ),
            ),
        ),
        Service: (
            _names_sql(Service, "t"),
            f"concat_ws(' ', NULLIF({_texts_sql(Service, 't', 'summary')}, ''), "
            "NULLIF(t.audience, ''))",
            _texts_sql(Service, "t", "description"),
            related(
                _related_sql(Organisation, "o", f"FROM {org} o WHERE o.id = t.provider_id"),
                _related_sql(Programme, "p", f"FROM {prog} p WHERE p.id = t.programme_id"),
                _related_sql(ServiceCategory, "c", f"FROM {category} c WHERE c.id = t.category_id"),
                _related_sql(
                    Region,
                    "r",
                    f"FROM {org} o JOIN {region} r ON r.id = o.region_id "
                    "WHERE o.id = t.provider_id",
                ),
                _related_sql(
                    Region,
                    "r",
                    f"FROM {prog_regions} x JOIN {region} r ON r.id = x.region_id "
                    "WHERE x.programme_id = t.programme_id",
                ),
            ),
        ),
        Event: (
            _names_sql(Event, "t"),
            _texts_sql(Event, "t", "summary"),
            _texts_sql(Event, "t", "description"),
            related(
                _related_sql(
                    Organisation,
                    "o",
                    f"FROM {ev_roles} x JOIN {org} o ON o.id = x.organisation_id "
                    "WHERE x.event_id = t.id",
                    order="x.role, o.name",
                ),
                _related_sql(Programme, "p", f"FROM {prog} p WHERE p.id = t.series_id"),
                _related_sql(Event, "e", f"FROM {ev} e WHERE e.id = t.part_of_id"),
                _related_sql(Region, "r", f"FROM {region} r WHERE r.id = t.city_id"),
                _related_sql(
                    Region,
                    "r",
                    f"FROM {ev_regions} x JOIN {region} r ON r.id = x.region_id "
                    "WHERE x.event_id = t.id",
                ),
                _related_sql(
                    Sector,
                    "s",
                    f"FROM {ev_sectors} x JOIN {sector} s ON s.id = x.sector_id "
                    "WHERE x.event_id = t.id",
                ),
                _related_sql(
                    Programme,
                    "p",
                    f"FROM {ev_programmes} x JOIN {prog} p ON p.id = x.programme_id "
                    "WHERE x.event_id = t.id",
                ),
            ),
        ),
    }


def _finished(parts):
    """The stored document and the four texts to weight, finished by the search
    module's own functions so that bulk and per-record indexing cannot drift."""
    index_text = getattr(search, "index_text", lambda text: text or "")
    parts = [index_text(part or "") for part in parts]
    texts = [
        f"{text} {search.normalise(text)}" if "'" in text or "’" in text else text for text in parts
    ]
    return search.normalise(" ".join(parts)), texts


def fill_search_columns():
    """`search_document` and, on PostgreSQL, `search_vector` for every synthetic
    record, in batches instead of `refresh_search_index`'s queries per record.
    SQL gathers each record's parts (own names, summary, description, related
    names); `directory.search` finishes them; weights and configuration match."""
    if connection.vendor != "postgresql":
        # SQLite has no tsvector; the per-record refresh is exact and fast
        # enough for the small sets tested there.
        for model in PUBLIC_MODELS:
            search.refresh_search_index(list(synthetic(model.objects.all())))
        return
    from psycopg2.extras import execute_values

    config = getattr(search, "SEARCH_CONFIG", "english")
    vector = " || ".join(
        f"setweight(to_tsvector('{config}', v.{part}), '{part.upper()}')" for part in "abcd"
    )
    tables = [model._meta.db_table for model in PUBLIC_MODELS]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # Django's foreign keys are deferred to commit; PostgreSQL will not
        # touch an index while such checks are pending, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Updating a trigram GIN index row by row costs several times more than
        # building it once afterwards, as for any bulk load.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(%s) "
            "AND indexdef LIKE '%% USING gin %%'",
            [tables],
        )
        gin_indexes = cursor.fetchall()
        # The tables were filled in this transaction: without statistics the
        # planner may pick a scan per row for the related-names subqueries.
        cursor.execute("ANALYZE")
        for name, _definition in gin_indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        raw = cursor.cursor
        for model, (a, b, c, d) in _weighted_sql().items():
            table = model._meta.db_table
            ids = list(synthetic(model.objects.order_by("pk")).values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                raw.execute(
                    f"SELECT t.id, {a}, {b}, {c}, {d} FROM {table} t WHERE t.id BETWEEN %s AND %s",
                    [chunk[0], chunk[-1]],
                )
                rows = []
                for pk, *parts in raw.fetchall():
                    document, texts = _finished(parts)
                    rows.append((pk, document, *texts))
                execute_values(
                    raw,
                    f"UPDATE {table} AS u SET search_document = v.doc, search_vector = {vector} "
                    "FROM (VALUES %s) AS v(id, doc, a, b, c, d) WHERE u.id = v.id",
                    rows,
                    page_size=len(rows),
                )
        for _name, definition in gin_indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def generate(programmes, seed=1, stdout=None):
    check_target_database()
    return Generator(programmes, seed=seed, stdout=stdout).run()

"""The budgets of the issue, checked against one run, and the printed tables."""

BUDGETS = {
    "list": {"p95_ms": 50, "queries": 8, "gzip_kb": 30},
    "search": {"p95_ms": 50, "queries": 8},
    "detail": {"p95_ms": 15, "queries": 5},
}
# The slowest single SQL query of one cold rendering.
SEARCH_SQL_MAX_MS = 10
LIST_SQL_MAX_MS = 20
ADMIN_MAX_MS = 200
ADMIN_MAX_QUERIES = 10
SOAK_MAX_RSS_GROWTH_PCT = 10
SERVERS = ("cold", "warm")


class Verdicts(list):
    def check(self, ok, text):
        self.append(f"{'PASS' if ok else 'FAIL'}  {text}")


def ratio(a, b):
    return a / max(b, 0.1)


def reference_budgets(references):
    by_name = {row["name"]: row for row in references}
    raw = by_name["raw WSGI"]["rps"]
    c = by_name["constant Django page (C)"]["rps"]
    static = by_name["static file"]["rps"]
    verdicts = Verdicts()
    verdicts.check(c >= 0.5 * raw, f"C >= 50% of raw WSGI ({ratio(c, raw):.0%})")
    verdicts.check(static >= 0.9 * c, f"static >= 90% of C ({ratio(static, c):.0%})")
    return verdicts


def rendering_budgets(pages):
    """SQL queries and compressed size of one rendering (cold) and one cache hit (warm)."""
    verdicts = Verdicts()
    for page in pages:
        budget = BUDGETS[page["kind"]]
        cold, warm = page["single"]["cold"], page["single"]["warm"]
        verdicts.check(
            max(cold["queries"], warm["queries"]) <= budget["queries"],
            f"{page['name']} <= {budget['queries']} queries "
            f"(cold {cold['queries']}, warm {warm['queries']})",
        )
        # Search SQL under 10 ms for any term; each facet count under 20 ms
        # (checked on the slowest query of the page, row queries included).
        limit = {"search": SEARCH_SQL_MAX_MS, "list": LIST_SQL_MAX_MS}.get(page["kind"])
        if limit:
            verdicts.check(
                page["slowest_sql_ms"] < limit,
                f"{page['name']} slowest SQL query < {limit} ms ({page['slowest_sql_ms']} ms)",
            )
        if "gzip_kb" in budget:
            verdicts.check(
                page["gzip_bytes"] <= budget["gzip_kb"] * 1024,
                f"{page['name']} gzip HTML <= {budget['gzip_kb']} KB "
                f"({page['gzip_bytes'] / 1024:.1f} KB)",
            )
    return verdicts


# Issue 23: the cold server's throughput as a share of C, per page (same run).
COLD_SHARE_OF_C = {
    "home": 0.04,
    "programmes": 0.04,
    "organisations": 0.04,
    "services": 0.04,
    "search rare": 0.03,
    "programmes filtered": 0.02,
    "events upcoming": 0.02,
    "search common": 0.02,
}
COLD_DETAIL_SHARE_OF_C = 0.06


def load_budgets(pages, label, c):
    """Throughput and latency under saturation on the `label` server."""
    if label == "cold":
        return cold_budgets(pages, c)
    verdicts = Verdicts()
    by_name = {page["name"]: page[label] for page in pages}
    for page in pages:
        name, row = f"{label} {page['name']}", page[label]
        budget = BUDGETS[page["kind"]]
        verdicts.check(
            row["requests"] > 0 and row["p95_ms"] < budget["p95_ms"],
            f"{name} p95 < {budget['p95_ms']} ms ({row['p95_ms']} ms)",
        )
        if page["kind"] == "detail":
            verdicts.check(
                row["rps"] >= 0.6 * c, f"{name} >= 60% of C ({ratio(row['rps'], c):.0%})"
            )
        verdicts.check(*page_cache_verdict(label, name, row))
    if "programmes filtered" in by_name:
        rps = by_name["programmes filtered"]["rps"]
        verdicts.check(rps >= 0.25 * c, f"{label} filtered list >= 25% of C ({ratio(rps, c):.0%})")
    for term in ("search rare", "search common"):
        if term in by_name and "programmes" in by_name:
            share = ratio(by_name[term]["rps"], by_name["programmes"]["rps"])
            verdicts.check(
                share >= 0.8, f"{label} {term} >= 80% of the programme list ({share:.0%})"
            )
    return verdicts


def cold_budgets(pages, c):
    """Every request rendered, at a share of C's throughput. (Latency under
    saturation is queueing behind 16 connections, not judged here.)"""
    verdicts = Verdicts()
    for page in pages:
        name, row = f"cold {page['name']}", page["cold"]
        share = COLD_DETAIL_SHARE_OF_C if page["kind"] == "detail" else None
        share = COLD_SHARE_OF_C.get(page["name"], share)
        if share is not None:
            verdicts.check(
                row["rps"] >= share * c,
                f"{name} >= {share:.0%} of C ({ratio(row['rps'], c):.1%})",
            )
        verdicts.check(*page_cache_verdict("cold", name, row))
    return verdicts


def page_cache_verdict(label, name, row):
    """Warm figures count only if the measured responses came from the cache,
    cold ones only if none did."""
    hits, requests = row["cache_hits"], row["requests"]
    if label == "warm":
        ok = hits == requests > 0 and row["page_cache_before"] == row["page_cache_after"] == "hit"
        return ok, f"{name} served from the page cache ({hits} of {requests})"
    return hits == 0, f"{name} rendered every time ({hits} cache hits)"


def soak_budgets(soak):
    verdicts = Verdicts()
    for row in soak["pages"]:
        name = f"soak {soak['server']} {row['name']}"
        verdicts.check(row["status_5xx"] == 0, f"{name}: no 5xx ({row['status_5xx']})")
        verdicts.check(
            row["socket_errors"] == row["not_sent"] == 0,
            f"{name}: no socket errors ({row['socket_errors']}; "
            f"{row['not_sent']} not sent for too many in flight)",
        )
        verdicts.check(
            memory_ok(row["rss_growth_pct"], row["workers_replaced"]),
            f"{name}: worker RSS growth < {SOAK_MAX_RSS_GROWTH_PCT}% "
            f"({row['rss_growth_pct']}%, {row['workers_replaced']} workers replaced)",
        )
    verdicts.check(
        memory_ok(soak["rss_growth_pct"], soak["workers_replaced"]),
        f"soak {soak['server']}: worker RSS growth over the whole soak < "
        f"{SOAK_MAX_RSS_GROWTH_PCT}% ({soak['rss_growth_pct']}%)",
    )
    return verdicts


def admin_budgets(rows):
    verdicts = Verdicts()
    for row in rows:
        verdicts.check(
            row["status"] == 200
            and row["median_ms"] < ADMIN_MAX_MS
            and row["queries"] <= ADMIN_MAX_QUERIES,
            f"admin {row['name']}: < {ADMIN_MAX_MS} ms, <= {ADMIN_MAX_QUERIES} queries "
            f"({row['median_ms']} ms, {row['queries']} queries, HTTP {row['status']})",
        )
    return verdicts


def memory_ok(growth_pct, workers_replaced):
    # A replaced worker (killed after a timeout) hides its own growth.
    return growth_pct is not None and growth_pct < SOAK_MAX_RSS_GROWTH_PCT and not workers_replaced


# -- tables --------------------------------------------------------------------


def print_load_table(references, pages):
    header = (
        f"{'page':26} {'server':6} {'req/s':>8} {'xC':>6} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'err':>5} {'hit%':>5} {'SQL':>4} {'1x ms':>7} {'gzKB':>6}  path"
    )
    print(header)
    print("-" * len(header))
    for row in references:
        print_load_row(row["name"], row["server"], row, row.get("single", {}).get("cold"), row)
    for page in pages:
        for label in SERVERS:
            print_load_row(page["name"], label, page[label], page["single"][label], page)


def print_load_row(name, server, row, single, page):
    single = single or {}
    # References never go through the page cache: no hit rate to show.
    if server == "ref" or not row["requests"]:
        hits = f"{'':5}"
    else:
        hits = f"{100 * row['cache_hits'] / row['requests']:5.0f}"
    print(
        f"{name:26} {server:6} {row['rps']:8.0f} {row.get('ratio_to_c') or 0:6.2f} "
        f"{row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['p99_ms']:7.1f} "
        f"{row['non_2xx'] + row['socket_errors']:5d} {hits} {single.get('queries', ''):>4} "
        f"{single.get('render_ms', ''):>7} {page.get('gzip_bytes', 0) / 1024:6.1f}  "
        f"{page['path'] or ''}"
    )


def print_soak_table(soak):
    print(
        f"{'soak page':26} {'server':6} {'wrk sat':>7} {'paced':>7} {'target':>7} {'req/s':>7} "
        f"{'5xx':>5} {'sock':>5} "
        f"{'p50':>6} {'p99':>7} {'RSS+%':>6} {'hit%':>5}"
    )
    for row in soak["pages"]:
        hits = 100 * row["cache_hits"] / row["requests"] if row["requests"] else 0
        print(
            f"{row['name']:26} {soak['server']:6} {row.get('wrk_saturation_rps', 0):7.0f} "
            f"{row.get('paced_saturation_rps', 0):7.0f} {row['target_rps']:7.1f} {row['rps']:7.1f} "
            f"{row['status_5xx']:5d} {row['socket_errors']:5d} {row['p50_ms']:6.1f} "
            f"{row['p99_ms']:7.1f} {row['rss_growth_pct'] or 0:6.1f} {hits:5.0f}"
        )
    print(
        f"{'(whole soak)':26} {soak['server']:6} worker RSS {kb_list(soak['worker_rss_kb_start'])}"
        f" -> {kb_list(soak['worker_rss_kb_end'])} KB ({soak['rss_growth_pct']}%)"
    )


def kb_list(values):
    return "/".join(str(v) for v in values)


def print_verdicts(title, verdicts):
    if verdicts:
        print(f"\n{title}")
        print("\n".join(verdicts))

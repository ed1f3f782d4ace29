import random

from directory.filters.options import FACET_SIZE, FACET_SIZE_MORE, build_facet


def full_sort(counts, names, selected):
    """The facet order spelled out: selected first, then largest count, then name."""
    values = [v for v in {v for v, n in counts.items() if n} | set(selected) if v in names]
    values.sort(key=lambda v: (v not in selected, -counts.get(v, 0), names[v]))
    return values


def test_a_facet_shows_the_same_options_as_sorting_every_value():
    # Many ties on the count at the cut, as in a region facet where hundreds
    # of regions have one or two records each.
    rng = random.Random(3)
    for trial in range(200):
        # Names that tie on their first letters, so the order by name matters.
        names = {
            f"v{i}": rng.choice(["Anhui", "Beijing", "Chengdu", f"x{i}"]) + str(i % 7)
            for i in range(rng.randint(0, 40))
        }
        counts = {v: rng.choice([0, 1, 1, 2, 2, 3, 50]) for v in names}
        selected = set(rng.sample(sorted(names), min(len(names), rng.randint(0, 3))))
        for expanded in (False, True):
            facet = build_facet("region", "Region", counts, names, selected, expanded)
            expected = full_sort(counts, names, selected)
            limit = FACET_SIZE_MORE if expanded else FACET_SIZE
            assert [o.value for o in facet.options] == expected[:limit], trial
            assert facet.more == (len(expected) > len(facet.options))
            assert [o.selected for o in facet.options] == [v in selected for v in expected[:limit]]

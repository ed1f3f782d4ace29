"""Filter methods the public FilterSets share: `filter_region = by_entries("region")`."""


def by_entries(facet):
    """The records counted under any chosen value of `facet` (through the facet
    index: `PublicFilterSet.with_entries`)."""

    def method(filterset, queryset, name, value):
        return filterset.with_entries(queryset, facet)

    return method


def by_values(field):
    """The records whose `field` is any of the chosen values."""

    def method(filterset, queryset, name, value):
        return queryset.filter(**{f"{field}__in": value})

    return method


def by_organisation(roles_model, record_column):
    """The records in which the published organisation with the chosen slug
    holds a role (`roles_model` rows, pointing at the record by `record_column`)."""

    def method(filterset, queryset, name, value):
        roles = roles_model.objects.filter(
            organisation__slug=value, organisation__status="published"
        )
        return queryset.filter(pk__in=roles.values(record_column))

    return method

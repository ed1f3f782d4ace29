"""The directory as Open Referral HSDS 3.0 under /api/hsds/.

Organisations are HSDS organizations, programmes programs, services services;
a service whose provider's region is known is offered at that region (a
service_at_location with its location). What HSDS has no field for (the
Chinese texts, citations, kinds, regions and sectors, the last-verified date)
travels as attributes, each with a taxonomy term of the directory's own
taxonomy; the record's last change and verification as metadata. README.md
lists the mapping.

- `ids`: HSDS ids (UUIDs) of the directory's records, and back;
- `attributes`: attributes, taxonomy terms and metadata;
- `records`: the four tables' published records as HSDS objects;
- `views`: the JSON endpoints; `tabular`: the tabular package (CSV + datapackage.json).
"""

from programmes.hsds.ids import hsds_id, pk_from
from programmes.hsds.tabular import package
from programmes.hsds.views import index, table_detail, table_list

__all__ = ["hsds_id", "index", "package", "pk_from", "table_detail", "table_list"]

"""The admin site's own name and layout: the directory's header and page
titles instead of Django's, in the three languages."""

from django.utils.translation import gettext_lazy as _


def brand(site):
    site.site_header = _("Cross-border innovation directory")
    site.site_title = _("Cross-border directory admin")
    site.index_title = _("Editorial desk")
    # The sidebar repeats the index's list of tables on every page and takes
    # 300 px from the changelists; the header and breadcrumbs lead back.
    site.enable_nav_sidebar = False

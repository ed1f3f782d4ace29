"""Date and number formats that differ from Django's defaults for a language.

Only the settings named in a language's module change; the rest come from
Django's own format module for that language.
"""

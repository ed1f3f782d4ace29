"""The core's public pages: lists, record pages, search and sources."""

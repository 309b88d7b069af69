"""feed.xml: the corrections log as an Atom feed (RFC 4287), so readers can follow changes.

Every date comes from the log itself, never from the clock, so two builds of one commit write
the same bytes. Links are absolute, from site.yaml's `url`, as feed readers need.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from .model import Correction, Site

FEED_FILE = "feed.xml"
EPOCH = "1970-01-01"


def timestamp(date: str) -> str:
    """An Atom date-time for a YYYY, YYYY-MM or YYYY-MM-DD date: its first day, at midnight UTC."""
    parts = [*date.split("-"), "01", "01"]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def entry_id(site_url: str, correction: Correction, number: int, prefix: str = "") -> str:
    """A tag URI (RFC 4151) that stays the same when the entry's text is edited or the site moves path.

    `number` counts from the oldest correction, so later corrections leave earlier ids alone.
    """
    address = urlsplit(site_url)
    return f"tag:{address.hostname},{timestamp(correction.date)[:10]}:{address.path}{prefix}corrections/{number}"


def entry_link(site: Site, correction: Correction) -> str:
    """Where to read the figure now: its entry on the sources page, else the home page."""
    home = site.config.url + site.prefix
    return f"{home}sources.html#fact-{correction.fact}" if correction.fact else home


def entry_summary(site: Site, correction: Correction, gettext: Callable[[str], str] = str) -> str:
    why, figure = gettext("Why:"), gettext("Figure:")
    summary = f"{correction.change} {why} {correction.reason}"
    if correction.fact:
        fact = site.facts[correction.fact]
        summary += f" {figure} {fact.label or fact.counts} ({fact.id})."
    return summary


def feed_entry(site: Site, correction: Correction, number: int, gettext: Callable[[str], str] = str) -> str:
    updated = timestamp(correction.date)
    return (
        "  <entry>\n"
        f"    <id>{escape(entry_id(site.config.url, correction, number, site.prefix))}</id>\n"
        f"    <title>{escape(correction.change)}</title>\n"
        f"    <updated>{updated}</updated>\n"
        f"    <published>{updated}</published>\n"
        f'    <link rel="alternate" type="text/html" href={quoteattr(entry_link(site, correction))}/>\n'
        f'    <summary type="text">{escape(entry_summary(site, correction, gettext))}</summary>\n'
        "  </entry>\n"
    )


def newest_page_date(site: Site) -> str:
    """The latest `date:` or `updated:` of the site's pages, or "". The feed holds corrections only:
    a page's own change is not a correction, so these dates date the feed only while the log is
    empty (Atom needs a date), as when the site, and with it the empty feed, was last published."""
    return max((date for page in site.pages for date in (page.date, page.updated) if date), default="")


def atom_feed(site: Site, gettext: Callable[[str], str] = str) -> bytes:
    """The corrections log, newest first, as Atom XML, in the language of `site`
    (`gettext` gives its interface words)."""
    config = site.config
    corrections = site.corrections  # newest first
    newest = (
        corrections[0].date
        if corrections
        else (newest_page_date(site) or max((s.published for s in site.sources.values()), default=EPOCH))
    )
    title = gettext("Corrections: %(site)s") % {"site": config.title}
    subtitle = gettext("Every correction to a figure or statement on %(site)s, and why.") % {"site": config.title}
    entries = "".join(
        feed_entry(site, correction, len(corrections) - index, gettext) for index, correction in enumerate(corrections)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>\n'
        f"  <id>{escape(config.url + site.prefix)}</id>\n"
        f"  <title>{escape(title)}</title>\n"
        f"  <subtitle>{escape(subtitle)}</subtitle>\n"
        f"  <updated>{timestamp(newest)}</updated>\n"
        f"  <author><name>{escape(config.author or config.title)}</name></author>\n"
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(config.url + site.prefix + FEED_FILE)}/>\n'
        f'  <link rel="alternate" type="text/html" href={quoteattr(config.url + site.prefix)}/>\n'
        f"{entries}"
        "</feed>\n"
    ).encode()

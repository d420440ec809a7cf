"""Build and check resources.yaml and support.yaml."""

from __future__ import annotations

from collections.abc import Collection

from domain.core.content_yaml import Entry, Problems
from domain.guide.fields import Ids, Item, listed_entries
from domain.guide.model import Resource, SupportContact, SupportInfo

RESOURCES_FILE = "resources.yaml"
SUPPORT_FILE = "support.yaml"

_RESOURCE = ("id", "title", "summary", "url", "phases")
_CONTACT = ("id", "title", "name", "summary", "contact", "url")
_WORDING = ("acknowledgement", "not_a_reporting_channel", "choices_intro", "sensitive_prompt_note", "crisis_intro")
_SECTIONS = ("trust_contacts", "national", "crisis")


def build_resources(root: Entry, phase_ids: Collection[str] | None, problems: Problems) -> tuple[Resource, ...]:
    """Check every resource; `phase_ids` is None when guide.yaml's phases are unusable."""
    top = Item(root, "", RESOURCES_FILE, problems)
    top.allow(("resources",))
    ids = Ids()
    built = (_resource(item, ids, phase_ids) for item in listed_entries(top, "resources", "resource"))
    return tuple(resource for resource in built if resource)


def _resource(item: Item, ids: Ids, phase_ids: Collection[str] | None) -> Resource | None:
    """One resource: title, summary, optional https url and the phases it suits."""
    item.allow(_RESOURCE)
    ident, title, summary, url = item.ident(), item.text("title"), item.text("summary"), _url(item)
    phases = item.texts("phases")
    fresh = ident is not None and ids.claim(item, ident)
    for phase in phases if phase_ids is not None and phases else ():
        if phase_ids is not None and phase not in phase_ids:
            item.problem("phases", f"unknown phase '{phase}' (expected one of {', '.join(phase_ids)})")
    if not fresh or ident is None or title is None or summary is None or phases is None:
        return None
    return Resource(ident, title, summary, phases, url)


def _url(item: Item) -> str | None:
    """An optional web address; only https, since partners open it on trust devices."""
    url = item.text("url", required=False)
    if url is not None and (not url.startswith("https://") or any(ch.isspace() for ch in url)):
        item.problem("url", f"'{url}' must be a full https:// address without spaces")
    return url


def build_support(root: Entry, problems: Problems) -> SupportInfo | None:
    """Check the disclosure wording and every signposting option."""
    top = Item(root, "", SUPPORT_FILE, problems)
    top.allow(("wording", *_SECTIONS))
    wording = _wording(top)
    ids = Ids()
    sections = [_contacts(top, name, ids) for name in _SECTIONS]
    if wording is None or any(section is None for section in sections):
        return None
    trust, national, crisis = (section or () for section in sections)
    return SupportInfo(**wording, trust_contacts=trust, national=national, crisis=crisis)


def _wording(top: Item) -> dict[str, str] | None:
    """The fixed sentences the companion says around disclosures and sensitive prompts."""
    value = top.entry.values.get("wording")
    if not isinstance(value, Entry):
        top.problem("wording", f"must hold the fields {', '.join(_WORDING)}")
        return None
    item = Item(value, "wording", SUPPORT_FILE, top.problems)
    item.allow(_WORDING)
    texts = {name: item.text(name) for name in _WORDING}
    return None if None in texts.values() else {name: text or "" for name, text in texts.items()}


def _contacts(top: Item, section: str, ids: Ids) -> tuple[SupportContact, ...] | None:
    """One section of options; trust contacts must also carry a (placeholder) name."""
    items = listed_entries(top, section, "contact")
    built = [_contact(item, ids, needs_name=section == "trust_contacts") for item in items]
    if not items or any(contact is None for contact in built):
        return None
    return tuple(contact for contact in built if contact)


def _contact(item: Item, ids: Ids, needs_name: bool) -> SupportContact | None:
    """One option: what it is, when it helps, how to reach it."""
    item.allow(_CONTACT)
    ident, title, summary = item.ident(), item.text("title"), item.text("summary")
    contact, name, url = item.text("contact"), item.text("name", required=needs_name), _url(item)
    fresh = ident is not None and ids.claim(item, ident)
    if not fresh or ident is None or title is None or summary is None or contact is None:
        return None
    return SupportContact(ident, title, summary, contact, name, url)
